"use client";

import { useRef } from "react";

import { Button } from "@/components/ui/button";

export interface ImageResponseProps {
  src: string;
  alt: string;
}

/**
 * One side of an image battle: the image in a fixed square frame (both sides get the same size
 * whatever the image's own dimensions, so size cannot favour a side), enlarged in a modal dialog on
 * click. The native <dialog> traps focus, closes on Escape and returns focus to the thumbnail.
 */
export function ImageResponse({ src, alt }: ImageResponseProps) {
  const dialogRef = useRef<HTMLDialogElement>(null);
  const close = () => dialogRef.current?.close();

  return (
    <>
      <button
        type="button"
        onClick={() => dialogRef.current?.showModal()}
        aria-label={`Enlarge ${alt}`}
        data-testid="image-response"
        className="group relative block aspect-square w-full overflow-hidden rounded-lg bg-slate-100 ring-1 ring-slate-200 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-500"
      >
        <img src={src} alt={alt} className="h-full w-full object-contain" draggable={false} />
        <span className="absolute right-2 bottom-2 rounded bg-slate-900/70 px-2 py-0.5 text-xs text-white opacity-0 transition group-hover:opacity-100 group-focus-visible:opacity-100">
          Enlarge
        </span>
      </button>
      <dialog
        ref={dialogRef}
        aria-label={alt}
        onClick={(event) => {
          // A click on the backdrop (the dialog element itself, outside its content) closes it.
          if (event.target === dialogRef.current) close();
        }}
        className="m-auto max-h-[95vh] max-w-[95vw] rounded-xl bg-white p-3 shadow-2xl backdrop:bg-slate-900/70"
      >
        <div className="flex flex-col items-end gap-2">
          <Button variant="secondary" onClick={close}>
            Close
          </Button>
          <img src={src} alt={alt} className="h-[min(85vh,90vw)] w-[min(85vh,90vw)] object-contain" />
        </div>
      </dialog>
    </>
  );
}
