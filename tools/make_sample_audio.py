"""Make the sample episode's audio: our own short theme, synthesised here, encoded as MP3.

    .venv/bin/python tools/make_sample_audio.py            # writes content/audio/<NAME>.mp3
    .venv/bin/python tools/make_sample_audio.py -o x.mp3   # somewhere else

Nothing is sampled or downloaded: every sound is computed with the standard
library (math, array, random with a fixed seed), so the file is ours and the
same every time. A bell-like sting (an A minor arpeggio), then a rhythmic bed at
96 beats a minute (a soft kick, off-beat ticks, a bass line and a quiet pad over
Am, F, C, G, two bars each), then the sting again and a last chord: about 42
seconds, mono, 64 kbit/s, about 340 KB. It stands in for the recorded briefing
until the studio file replaces it (same name, or a new `Audio:` header).

Needs lameenc (requirements-dev.txt) for the MP3 encoding and mutagen
(requirements.txt) for the ID3 tags; the site build needs neither this script
nor lameenc.
"""

import argparse
import array
import math
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NAME = "episode-13-boko-haram-split.mp3"
RATE = 44_100
BPM = 96
BEAT = 60 / BPM
BITRATE = 64  # kbit/s: speech-grade, small
TAGS = {
    "title": "Briefing: Ten Years After the Boko Haram Split",
    "artist": "Militancy Monitor",
    "album": "The Militancy Monitor Podcast",
    "genre": "Podcast",
    "date": "2026",
}

A2, B2, C3, D3, E3, F2, G2, G3 = 110.0, 123.47, 130.81, 146.83, 164.81, 87.31, 98.0, 196.0
A3, C4, E4, A4 = 220.0, 261.63, 329.63, 440.0
# Two bars (eight beats) each: root for the bass, three tones for the pad.
CHORDS = [(A2, (A2, C3, E3)), (F2, (F2, A2, C3)), (C3, (C3, E3, G3)), (G2, (G2, B2, D3))]
STING = (A3, C4, E4, A4)


class Track:
    """A mono buffer of float samples that voices are added into."""

    def __init__(self, seconds):
        self.samples = array.array("d", bytes(8 * int(seconds * RATE)))

    def add(self, start, seconds, voice):
        """Add voice(t) (t in seconds from start) for `seconds`, from `start` seconds."""
        first = int(start * RATE)
        count = min(int(seconds * RATE), len(self.samples) - first)
        samples = self.samples
        for n in range(count):
            samples[first + n] += voice(n / RATE)

    def pcm(self, peak=0.89):
        """Return the track as 16-bit little-endian PCM, normalised to `peak`, with short
        fades at both ends (no click)."""
        loudest = max(abs(value) for value in self.samples) or 1.0
        scale = peak * 32767 / loudest
        fade = int(0.02 * RATE)
        last = len(self.samples) - 1
        out = array.array("h", bytes(2 * len(self.samples)))
        for n, value in enumerate(self.samples):
            gain = min(1.0, n / fade, (last - n) / fade)
            out[n] = round(value * scale * gain)
        if sys.byteorder == "big":  # PCM for the encoder is little-endian
            out.byteswap()
        return out.tobytes()


def bell(freq, amp=0.5, decay=2.2):
    """A struck, slightly inharmonic tone."""
    partials = ((1.0, 1.0), (2.01, 0.45), (3.0, 0.22), (4.23, 0.1))

    def voice(t):
        envelope = min(1.0, t / 0.005) * math.exp(-decay * t)
        return amp * envelope * sum(a * math.sin(2 * math.pi * freq * r * t) for r, a in partials)

    return voice


def kick(amp=0.9):
    """A soft drum: a sine falling from 120 Hz to 48 Hz, quickly damped."""

    def voice(t):
        phase = 2 * math.pi * (48 * t + (72 / 22) * (1 - math.exp(-22 * t)))
        return amp * math.exp(-9 * t) * math.sin(phase)

    return voice


def tick(noise, amp=0.12):
    """A short burst of (seeded) noise: a closed hi-hat, roughly."""

    def voice(t):
        return amp * math.exp(-70 * t) * noise.uniform(-1.0, 1.0)

    return voice


def bass(freq, seconds, amp=0.32):
    """A rounded, triangle-like note with a soft attack and release."""

    def voice(t):
        envelope = min(1.0, t / 0.02, (seconds - t) / 0.08)
        wave = math.sin(2 * math.pi * freq * t) + math.sin(6 * math.pi * freq * t) / 9
        return amp * max(envelope, 0.0) * wave

    return voice


def pad(tones, seconds, amp=0.07):
    """A quiet chord that swells in and out, with a slow tremolo."""

    def voice(t):
        envelope = math.sin(math.pi * min(t / seconds, 1.0)) ** 0.5
        tremolo = 0.85 + 0.15 * math.sin(2 * math.pi * 0.5 * t)
        return amp * envelope * tremolo * sum(math.sin(2 * math.pi * f * t) for f in tones)

    return voice


def compose():
    """Return the finished Track."""
    bars_of_bed = 14
    total_beats = 4 + 4 * bars_of_bed + 4
    track = Track(total_beats * BEAT + 2.5)
    noise = random.Random(20160804)
    for index, freq in enumerate(STING):  # the opening sting
        track.add(index * BEAT / 2, 3.0, bell(freq))
    for bar in range(bars_of_bed):
        root, tones = CHORDS[(bar // 2) % len(CHORDS)]
        start = (4 + 4 * bar) * BEAT
        if bar % 2 == 0:
            track.add(start, 8 * BEAT, pad(tones, 8 * BEAT))
        for beat in range(4):
            at = start + beat * BEAT
            track.add(at, 0.4, kick(0.9 if beat in (0, 2) else 0.55))
            track.add(at + BEAT / 2, 0.06, tick(noise))
            note = root * (2 if beat == 3 else 1)  # up an octave on the last beat
            track.add(at, BEAT * 0.9, bass(note, BEAT * 0.9))
    end = (4 + 4 * bars_of_bed) * BEAT
    for index, freq in enumerate(reversed(STING)):  # the sting again, falling
        track.add(end + index * BEAT / 2, 3.0, bell(freq, amp=0.45))
    for freq in (A2, E3, A3, C4):  # the last chord rings out
        track.add(end + 2 * BEAT, 3.0, bell(freq, amp=0.3, decay=1.4))
    return track


def encode(pcm):
    """Encode 16-bit mono PCM as constant-bit-rate MP3."""
    import lameenc

    encoder = lameenc.Encoder()
    encoder.set_in_sample_rate(RATE)
    encoder.set_channels(1)
    encoder.set_bit_rate(BITRATE)
    encoder.set_quality(2)  # 2 = high quality, slower
    return bytes(encoder.encode(pcm) + encoder.flush())


def tag(path):
    """Write ID3 tags: what players show for the file."""
    from mutagen.id3 import ID3, TALB, TCON, TDRC, TIT2, TPE1

    tags = ID3()
    tags.add(TIT2(encoding=3, text=TAGS["title"]))
    tags.add(TPE1(encoding=3, text=TAGS["artist"]))
    tags.add(TALB(encoding=3, text=TAGS["album"]))
    tags.add(TCON(encoding=3, text=TAGS["genre"]))
    tags.add(TDRC(encoding=3, text=TAGS["date"]))
    tags.save(path, v2_version=3)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-o", "--output", type=Path, default=ROOT / "content" / "audio" / NAME)
    args = parser.parse_args(argv)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_bytes(encode(compose().pcm()))
    tag(args.output)
    print(f"{args.output}: {args.output.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
