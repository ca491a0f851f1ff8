import { createRandom, randomInt, seedFromString, type Random } from "../random";

/**
 * Offline demo music models: deterministic, prompt-dependent clips (PCM 16-bit mono, 22050 Hz)
 * encoded as WAV. Each timbre is one demo model. Mood words pick scale and tempo ("sad" → minor
 * and slow, "happy" → major and fast, "calm" → pentatonic and slow); the key comes from the seed.
 */
export type DemoTimbre = "sine-pad" | "square-chiptune" | "plucked-string" | "fm-bell";

export const DEMO_TIMBRES: readonly DemoTimbre[] = ["sine-pad", "square-chiptune", "plucked-string", "fm-bell"];

export function isDemoTimbre(value: string): value is DemoTimbre {
  return (DEMO_TIMBRES as readonly string[]).includes(value);
}

export const DEMO_SAMPLE_RATE = 22_050;
const MIN_DEMO_SECONDS = 5;
const MAX_DEMO_SECONDS = 30;

export interface MusicPlan {
  scale: "major" | "minor" | "pentatonic";
  tempoBpm: number;
  rootMidi: number;
}

const SCALE_STEPS: Record<MusicPlan["scale"], number[]> = {
  major: [0, 2, 4, 5, 7, 9, 11],
  minor: [0, 2, 3, 5, 7, 8, 10],
  pentatonic: [0, 2, 4, 7, 9],
};

/** Mood from prompt words; tempo jitters ±8 BPM and the key is seeded, so similar prompts still differ. */
export function planMusic(prompt: string, random: Random): MusicPlan {
  const lower = prompt.toLowerCase();
  const rootMidi = 48 + randomInt(random, 12);
  const jitter = randomInt(random, 17) - 8;
  if (/\b(sad|melanchol|dark|rain|lonely|grief|slow|blue|minor|night)/.test(lower)) return { scale: "minor", tempoBpm: 66 + jitter, rootMidi };
  if (/\b(calm|sleep|ambient|relax|peace|meditat|soft|dream)/.test(lower)) return { scale: "pentatonic", tempoBpm: 72 + jitter, rootMidi };
  if (/\b(happy|dance|party|upbeat|joy|fun|summer|fast|energetic)/.test(lower)) return { scale: "major", tempoBpm: 132 + jitter, rootMidi };
  if (/\b(epic|battle|heroic|intense|action)/.test(lower)) return { scale: "minor", tempoBpm: 112 + jitter, rootMidi };
  return { scale: random() < 0.5 ? "major" : "minor", tempoBpm: 96 + jitter, rootMidi };
}

export function clampDemoDuration(seconds: number): number {
  if (!Number.isFinite(seconds)) return MIN_DEMO_SECONDS;
  return Math.min(MAX_DEMO_SECONDS, Math.max(MIN_DEMO_SECONDS, seconds));
}

function midiToHz(midi: number): number {
  return 440 * 2 ** ((midi - 69) / 12);
}

type Voice = (out: Float32Array, start: number, length: number, hz: number, gain: number, random: Random) => void;

function envelope(index: number, length: number, attack: number, release: number): number {
  if (index < attack) return index / attack;
  if (index > length - release) return Math.max(0, (length - index) / release);
  return 1;
}

const sinePad: Voice = (out, start, length, hz, gain) => {
  const attack = Math.min(length / 3, DEMO_SAMPLE_RATE * 0.15);
  for (let i = 0; i < length && start + i < out.length; i++) {
    const t = i / DEMO_SAMPLE_RATE;
    const tone = Math.sin(2 * Math.PI * hz * t) + 0.5 * Math.sin(2 * Math.PI * hz * 1.005 * t) + 0.25 * Math.sin(4 * Math.PI * hz * t);
    out[start + i] += (gain * tone * envelope(i, length, attack, attack)) / 1.75;
  }
};

const squareChiptune: Voice = (out, start, length, hz, gain) => {
  const period = DEMO_SAMPLE_RATE / hz;
  for (let i = 0; i < length && start + i < out.length; i++) {
    const square = (i % period) / period < 0.5 ? 1 : -1;
    out[start + i] += gain * 0.45 * square * envelope(i, length, 40, length * 0.3);
  }
};

/** Karplus–Strong: a noise burst through a decaying averaging delay line. */
const pluckedString: Voice = (out, start, length, hz, gain, random) => {
  const delay = Math.max(2, Math.round(DEMO_SAMPLE_RATE / hz));
  const line = Float32Array.from({ length: delay }, () => random() * 2 - 1);
  for (let i = 0; i < length && start + i < out.length; i++) {
    const index = i % delay;
    const next = (index + 1) % delay;
    const sample = line[index];
    line[index] = 0.996 * 0.5 * (line[index] + line[next]);
    out[start + i] += gain * sample * envelope(i, length, 1, 200);
  }
};

const fmBell: Voice = (out, start, length, hz, gain) => {
  for (let i = 0; i < length && start + i < out.length; i++) {
    const t = i / DEMO_SAMPLE_RATE;
    const decay = Math.exp(-3 * t);
    const modulator = 3.5 * decay * Math.sin(2 * Math.PI * hz * 1.4 * t);
    out[start + i] += gain * decay * Math.sin(2 * Math.PI * hz * t + modulator) * envelope(i, length, 20, 300);
  }
};

const VOICES: Record<DemoTimbre, Voice> = {
  "sine-pad": sinePad,
  "square-chiptune": squareChiptune,
  "plucked-string": pluckedString,
  "fm-bell": fmBell,
};

/**
 * Samples of a clip of exactly round(clamped duration × 22050) samples, peak-normalised to ≤ 0.9.
 * The melody walks the scale in beats (shorter notes for chiptune), over a root/fifth bass line.
 */
export function synthesizeDemoMusic(timbre: DemoTimbre, prompt: string, personaContext: string | null, durationSeconds: number, seed = 0): Int16Array {
  const random = createRandom(seedFromString(`${seed}\u0000${timbre}\u0000${prompt}\u0000${personaContext ?? ""}`));
  const plan = planMusic(prompt, random);
  const steps = SCALE_STEPS[plan.scale];
  const total = Math.round(clampDemoDuration(durationSeconds) * DEMO_SAMPLE_RATE);
  const mix = new Float32Array(total);
  const beat = Math.round((60 / plan.tempoBpm) * DEMO_SAMPLE_RATE);
  const noteLength = timbre === "square-chiptune" ? Math.round(beat / 2) : beat;
  const voice = VOICES[timbre];
  let degree = 0;
  for (let start = 0, note = 0; start < total; start += noteLength, note++) {
    degree = Math.max(-3, Math.min(9, degree + randomInt(random, 5) - 2));
    const octave = Math.floor(degree / steps.length);
    const step = steps[((degree % steps.length) + steps.length) % steps.length];
    const rest = random() < 0.12;
    if (!rest) voice(mix, start, Math.min(noteLength * (timbre === "sine-pad" ? 2 : 1), total - start), midiToHz(plan.rootMidi + 12 + octave * 12 + step), 0.5, random);
    if (note % 4 === 0) {
      const bassStep = note % 8 === 0 ? 0 : steps[Math.min(4, steps.length - 1)];
      voice(mix, start, Math.min(noteLength * 4, total - start), midiToHz(plan.rootMidi - 12 + bassStep), 0.35, random);
    }
  }
  let peak = 0;
  for (const sample of mix) peak = Math.max(peak, Math.abs(sample));
  const scale = peak > 0 ? (0.9 * 32767) / peak : 0;
  return Int16Array.from(mix, (sample) => Math.round(sample * scale));
}

/** RIFF/WAVE container, PCM 16-bit little-endian mono. */
export function encodeWav(samples: Int16Array, sampleRate = DEMO_SAMPLE_RATE): Uint8Array {
  const dataBytes = samples.length * 2;
  const bytes = new Uint8Array(44 + dataBytes);
  const view = new DataView(bytes.buffer);
  const ascii = (offset: number, text: string) => {
    for (let i = 0; i < text.length; i++) bytes[offset + i] = text.charCodeAt(i);
  };
  ascii(0, "RIFF");
  view.setUint32(4, 36 + dataBytes, true);
  ascii(8, "WAVE");
  ascii(12, "fmt ");
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true);
  view.setUint16(22, 1, true);
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, sampleRate * 2, true);
  view.setUint16(32, 2, true);
  view.setUint16(34, 16, true);
  ascii(36, "data");
  view.setUint32(40, dataBytes, true);
  for (let i = 0; i < samples.length; i++) view.setInt16(44 + i * 2, samples[i], true);
  return bytes;
}
