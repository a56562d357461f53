#include "sip/msg/method.h"

#include <array>

namespace kolokol::sip {
namespace {

struct MethodName {
  Method method;
  std::string_view name;
};

constexpr std::array<MethodName, 14> kMethods{{
    {Method::Invite, "INVITE"},
    {Method::Ack, "ACK"},
    {Method::Bye, "BYE"},
    {Method::Cancel, "CANCEL"},
    {Method::Options, "OPTIONS"},
    {Method::Register, "REGISTER"},
    {Method::Prack, "PRACK"},
    {Method::Update, "UPDATE"},
    {Method::Info, "INFO"},
    {Method::Subscribe, "SUBSCRIBE"},
    {Method::Notify, "NOTIFY"},
    {Method::Refer, "REFER"},
    {Method::Message, "MESSAGE"},
    {Method::Publish, "PUBLISH"},
}};

}  // namespace

Method method_from_name(std::string_view name) {
  for (const MethodName& m : kMethods) {
    if (m.name == name) return m.method;
  }
  return Method::Other;
}

std::string_view method_name(Method method) {
  for (const MethodName& m : kMethods) {
    if (m.method == method) return m.name;
  }
  return {};
}

}  // namespace kolokol::sip
