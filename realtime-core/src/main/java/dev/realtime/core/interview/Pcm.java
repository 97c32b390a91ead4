package dev.realtime.core.interview;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Mono 16-bit PCM: decoded from a PCM WAV (8/16/24/32-bit, any channel count, any rate) or raw 16-bit little
 * endian, resampled, and written as a WAV. Immutable.
 *
 * @param samples mono samples
 * @param rate    samples per second
 */
record Pcm(short[] samples, int rate) {

    /** Decodes a clip that {@link AudioClip#isPcm()}. */
    static Pcm decode(AudioClip clip) {
        byte[] b = clip.bytes();
        if (b.length >= 12 && b[0] == 'R' && b[1] == 'I' && b[2] == 'F' && b[3] == 'F'
                && b[8] == 'W' && b[9] == 'A' && b[10] == 'V' && b[11] == 'E') {
            return wav(b);
        }
        if (clip.format().startsWith("wav")) {
            throw new InterviewException("unsupported_format", "not a RIFF/WAVE file");
        }
        if (clip.sampleRate() <= 0) {
            throw new InterviewException("bad_request", "raw PCM needs its sampleRate");
        }
        ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        short[] s = new short[b.length / 2];
        for (int i = 0; i < s.length; i++) {
            s[i] = buf.getShort();
        }
        return new Pcm(s, clip.sampleRate());
    }

    private static Pcm wav(byte[] b) {
        ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        buf.position(12);
        int channels = 0;
        int rate = 0;
        int bits = 0;
        int format = 0;
        while (buf.remaining() >= 8) {
            int id = buf.getInt();
            long size = Integer.toUnsignedLong(buf.getInt());
            int start = buf.position();
            if (id == 0x20746d66) { // "fmt "
                format = Short.toUnsignedInt(buf.getShort());
                channels = Short.toUnsignedInt(buf.getShort());
                rate = buf.getInt();
                buf.getInt();
                buf.getShort();
                bits = Short.toUnsignedInt(buf.getShort());
            } else if (id == 0x61746164) { // "data"
                if (format != 1 && format != 0xFFFE || channels < 1 || rate < 1) {
                    throw new InterviewException("unsupported_format", "only PCM WAV is supported (format "
                            + format + ")");
                }
                int bytes = bits / 8;
                if (bytes < 1 || bytes > 4) {
                    throw new InterviewException("unsupported_format", "unsupported bits per sample: " + bits);
                }
                int len = (int) Math.min(size, buf.remaining());
                int frames = len / (bytes * channels);
                short[] out = new short[frames];
                for (int f = 0; f < frames; f++) {
                    long sum = 0;
                    for (int c = 0; c < channels; c++) {
                        sum += sample(buf, bytes);
                    }
                    out[f] = (short) (sum / channels);
                }
                return new Pcm(out, rate);
            }
            buf.position((int) Math.min(buf.limit(), start + size + (size & 1)));
        }
        throw new InterviewException("unsupported_format", "WAV without a data chunk");
    }

    private static int sample(ByteBuffer buf, int bytes) {
        return switch (bytes) {
            case 1 -> ((buf.get() & 0xff) - 128) << 8;
            case 2 -> buf.getShort();
            case 3 -> {
                int lo = buf.get() & 0xff;
                int mid = buf.get() & 0xff;
                int hi = buf.get();
                yield ((hi << 16) | (mid << 8) | lo) >> 8;
            }
            default -> buf.getInt() >> 16;
        };
    }

    /**
     * This audio at {@code target} samples per second: band-limited interpolation (a Hann-windowed sinc whose
     * cut-off sits just below the lower of the two Nyquist frequencies, 16 zero crossings each side).
     */
    Pcm resample(int target) {
        if (target == rate) {
            return this;
        }
        double step = (double) rate / target;
        double cutoff = 0.95 * Math.min(1.0, 1.0 / step); // in cycles per input sample, times 2
        int zeros = 16;
        double half = zeros / cutoff; // half width of the kernel, in input samples
        int n = (int) Math.floor(samples.length / step);
        short[] out = new short[n];
        for (int i = 0; i < n; i++) {
            double pos = i * step;
            int from = (int) Math.ceil(pos - half);
            int to = (int) Math.floor(pos + half);
            double sum = 0;
            for (int k = Math.max(0, from); k <= Math.min(samples.length - 1, to); k++) {
                double x = (k - pos) * cutoff;
                double sinc = x == 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
                double w = 0.5 + 0.5 * Math.cos(Math.PI * (k - pos) / half);
                sum += samples[k] * sinc * w * cutoff;
            }
            out[i] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, Math.round(sum)));
        }
        return new Pcm(out, target);
    }

    double seconds() {
        return samples.length / (double) rate;
    }

    /** A 16-bit mono PCM WAV of this audio. */
    byte[] toWav() {
        int data = samples.length * 2;
        ByteBuffer b = ByteBuffer.allocate(44 + data).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {'R', 'I', 'F', 'F'}).putInt(36 + data).put(new byte[] {'W', 'A', 'V', 'E'});
        b.put(new byte[] {'f', 'm', 't', ' '}).putInt(16).putShort((short) 1).putShort((short) 1).putInt(rate)
                .putInt(rate * 2).putShort((short) 2).putShort((short) 16);
        b.put(new byte[] {'d', 'a', 't', 'a'}).putInt(data);
        for (short s : samples) {
            b.putShort(s);
        }
        return b.array();
    }
}
