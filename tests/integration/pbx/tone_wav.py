"""Test tones as WAV files and their measurement, with the standard library only: a sine written
with `wave`, a WAV read back per channel, and a Goertzel filter to tell which tone a stretch of
audio holds."""

import math
import struct
import wave


def write_tone(path, frequency, seconds, rate=8000, amplitude=0.3):
    """A mono 16-bit WAV holding a sine of `frequency` at `amplitude` of full scale."""
    peak = amplitude * 32767
    count = int(seconds * rate)
    samples = [int(peak * math.sin(2 * math.pi * frequency * n / rate)) for n in range(count)]
    with wave.open(path, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(struct.pack("<%dh" % count, *samples))


def read_channels(path):
    """(sample rate, [samples of channel 0, samples of channel 1, ...]) of a 16-bit WAV."""
    with wave.open(path) as source:
        if source.getsampwidth() != 2:
            raise ValueError("%s: %d-byte samples, expected 16-bit" % (path,
                                                                        source.getsampwidth()))
        channels, rate = source.getnchannels(), source.getframerate()
        frames = source.readframes(source.getnframes())
    samples = struct.unpack("<%dh" % (len(frames) // 2), frames)
    return rate, [samples[c::channels] for c in range(channels)]


def goertzel(samples, frequency, rate):
    """Power of `frequency` in `samples`, normalized so that a sine of amplitude A gives A^2/4
    whatever the length."""
    coefficient = 2 * math.cos(2 * math.pi * frequency / rate)
    s1 = s2 = 0.0
    for x in samples:
        s1, s2 = x + coefficient * s1 - s2, s1
    return (s1 * s1 + s2 * s2 - coefficient * s1 * s2) / max(1, len(samples)) ** 2


def tone_share(samples, frequency, rate):
    """Which part of the signal's power is at `frequency`: about 0.5 for a clean sine (the
    Goertzel power is A^2/4, the mean square A^2/2), near 0 when the tone is absent."""
    mean_square = sum(x * x for x in samples) / max(1, len(samples))
    return goertzel(samples, frequency, rate) / mean_square if mean_square else 0.0


def middle(samples, fraction=0.5):
    """The central `fraction` of `samples`."""
    skip = int(len(samples) * (1 - fraction) / 2)
    return samples[skip:len(samples) - skip]
