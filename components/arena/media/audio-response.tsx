"use client";

import { useRef, useState, type ChangeEvent } from "react";

import { Button } from "@/components/ui/button";
import { MAX_LISTEN_EVENTS_PER_SIDE, summarizeListening, type ListenEvent, type ListenEventType } from "@/lib/domain/listening";

import { describeListeningProgress } from "./listening-gate";

interface ListeningState {
  /** Heard seconds, computed by `summarizeListening` from exactly `events` (the server recomputes the same). */
  seconds: number;
  events: ListenEvent[];
}

export interface AudioResponseProps {
  src: string;
  /** Names the side for assistive technology and the controls: "Clip A". */
  label: string;
  /** When given, shows "Listened 3.2 s of 5 s needed". */
  minListenSeconds?: number;
  onListeningChange?: (state: ListeningState) => void;
}

/** Progress reports while playing are kept at most this often (timeupdate fires every ~250 ms). */
const TICK_INTERVAL_MS = 250;

function formatClock(seconds: number): string {
  const whole = Number.isFinite(seconds) ? Math.max(0, Math.floor(seconds)) : 0;
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, "0")}`;
}

/**
 * One side of a music battle: an <audio> element with our own controls, recording what the listener
 * does (play, pause, seek, ended, and progress ticks) so the vote can prove each clip was heard.
 * A new `src` remounts the player, which starts a fresh recording.
 */
export function AudioResponse(props: AudioResponseProps) {
  return <AudioPlayer key={props.src} {...props} />;
}

function AudioPlayer({ src, label, minListenSeconds, onListeningChange }: AudioResponseProps) {
  const audioRef = useRef<HTMLAudioElement>(null);
  const eventsRef = useRef<ListenEvent[]>([]);
  const lastTickAtRef = useRef(0);
  const [playing, setPlaying] = useState(false);
  const [currentTime, setCurrentTime] = useState(0);
  const [duration, setDuration] = useState(0);
  const [listenedSeconds, setListenedSeconds] = useState(0);

  function record(type: ListenEventType) {
    const audio = audioRef.current;
    const events = eventsRef.current;
    if (!audio || events.length >= MAX_LISTEN_EVENTS_PER_SIDE) return;
    const at = performance.now();
    events.push({ type, mediaTime: audio.currentTime, at });
    if (type === "tick" || type === "play") lastTickAtRef.current = at;
    const clipDuration = Number.isFinite(audio.duration) ? audio.duration : null;
    const { seconds } = summarizeListening(events, { durationSeconds: clipDuration });
    setListenedSeconds(seconds);
    onListeningChange?.({ seconds, events: [...events] });
  }

  function togglePlayback() {
    const audio = audioRef.current;
    if (!audio) return;
    if (audio.paused) void audio.play().catch(() => setPlaying(false));
    else audio.pause();
  }

  function seekTo(event: ChangeEvent<HTMLInputElement>) {
    const audio = audioRef.current;
    if (!audio) return;
    // Credit what played up to here before the position jumps (the seek event carries the target).
    if (!audio.paused) record("tick");
    audio.currentTime = Number(event.target.value);
  }

  const progressText = minListenSeconds === undefined ? null : describeListeningProgress(listenedSeconds, minListenSeconds);

  return (
    <div className="flex flex-col gap-3 rounded-lg bg-white p-4 ring-1 ring-slate-200" data-testid="audio-response" data-listened-seconds={listenedSeconds}>
      <audio
        ref={audioRef}
        src={src}
        preload="metadata"
        aria-label={label}
        onPlay={() => {
          setPlaying(true);
          record("play");
        }}
        onPause={() => {
          setPlaying(false);
          record("pause");
        }}
        onEnded={() => {
          setPlaying(false);
          record("ended");
        }}
        onSeeking={() => record("seek")}
        onTimeUpdate={(event) => {
          const audio = event.currentTarget;
          setCurrentTime(audio.currentTime);
          if (!audio.paused && !audio.seeking && performance.now() - lastTickAtRef.current >= TICK_INTERVAL_MS) record("tick");
        }}
        onDurationChange={(event) => setDuration(Number.isFinite(event.currentTarget.duration) ? event.currentTarget.duration : 0)}
      />
      <div className="flex items-center gap-3">
        <Button variant="secondary" onClick={togglePlayback} aria-label={`${playing ? "Pause" : "Play"} ${label}`} className="w-20">
          {playing ? "Pause" : "Play"}
        </Button>
        <input
          type="range"
          aria-label={`Position in ${label}`}
          min={0}
          max={duration || 0}
          step={0.1}
          value={Math.min(currentTime, duration || 0)}
          onChange={seekTo}
          disabled={!duration}
          className="flex-1 accent-brand-600"
        />
        <span className="w-24 text-right font-mono text-xs text-slate-600 tabular-nums">
          {formatClock(currentTime)} / {formatClock(duration)}
        </span>
      </div>
      {progressText && (
        <p className="text-xs text-slate-600" aria-live="polite">
          {progressText}
        </p>
      )}
    </div>
  );
}
