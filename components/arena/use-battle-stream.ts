"use client";

import { useEffect, useRef } from "react";
import type { TBattleStreamEvent } from "@/lib/domain/battle/stream-events";

/**
 * Subscribes to a battle's Server-Sent Events while `roundKey` is non-null. EventSource reconnects
 * by itself after a network blip, and the server replays a snapshot on every (re)connect, so no
 * text is lost. The subscription closes on `end`.
 */
export function useBattleStream(battleId: string | null, roundKey: number | null, onEvent: (event: TBattleStreamEvent) => void): void {
  const handler = useRef(onEvent);
  useEffect(() => {
    handler.current = onEvent;
  });
  useEffect(() => {
    if (!battleId || roundKey === null) return;
    const source = new EventSource(`/api/battles/${encodeURIComponent(battleId)}/stream`);
    source.onmessage = (message: MessageEvent<string>) => {
      const event = JSON.parse(message.data) as TBattleStreamEvent;
      handler.current(event);
      if (event.type === "end") source.close();
    };
    return () => source.close();
  }, [battleId, roundKey]);
}
