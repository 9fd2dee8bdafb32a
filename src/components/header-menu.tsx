"use client";
// On a phone or a narrow window the signed-in part of the header folds into a Menu button, so the header stays one
// row; from the `xl` breakpoint up it is shown inline and the button is gone. It closes on navigation, on Escape and on a click
// elsewhere.
import { usePathname } from "next/navigation";
import { type ReactNode, useEffect, useId, useRef, useState } from "react";

export function HeaderMenu({ children }: { children: ReactNode }) {
  const [open, setOpen] = useState(false);
  const pathname = usePathname();
  const id = useId();
  const button = useRef<HTMLButtonElement>(null);
  const panel = useRef<HTMLDivElement>(null);

  // Closed again whenever a link in it (or anywhere) leads to another page.
  const [shownFor, setShownFor] = useState(pathname);
  if (shownFor !== pathname) {
    setShownFor(pathname);
    setOpen(false);
  }

  useEffect(() => {
    if (!open) return;
    const closeOutside = (event: PointerEvent) => {
      const target = event.target as Node;
      if (!panel.current?.contains(target) && !button.current?.contains(target)) setOpen(false);
    };
    // Escape closes it wherever focus is (the button or a link in it), and focus goes back to the button.
    const closeOnEscape = (event: KeyboardEvent) => {
      if (event.key !== "Escape") return;
      setOpen(false);
      button.current?.focus();
    };
    document.addEventListener("pointerdown", closeOutside);
    document.addEventListener("keydown", closeOnEscape);
    return () => {
      document.removeEventListener("pointerdown", closeOutside);
      document.removeEventListener("keydown", closeOnEscape);
    };
  }, [open]);

  return (
    <>
      <button
        ref={button}
        type="button"
        className="ml-auto inline-flex min-h-10 items-center gap-2 rounded-md px-3 text-sm font-medium text-slate-700 hover:bg-slate-200 xl:hidden dark:text-slate-200 dark:hover:bg-slate-800"
        aria-expanded={open}
        aria-controls={id}
        onClick={() => setOpen((shown) => !shown)}
      >
        <svg aria-hidden="true" viewBox="0 0 20 20" className="size-5" fill="currentColor">
          <path d="M3 5h14v2H3zM3 9h14v2H3zM3 13h14v2H3z" />
        </svg>
        Menu
      </button>
      <div
        ref={panel}
        id={id}
        className={`${open ? "flex" : "hidden"} absolute inset-x-0 top-full z-20 flex-col gap-3 border-b border-slate-200 bg-white p-4 shadow-md xl:static xl:z-auto xl:flex xl:flex-1 xl:flex-row xl:items-center xl:gap-4 xl:border-0 xl:bg-transparent xl:p-0 xl:shadow-none dark:border-slate-800 dark:bg-slate-900 xl:dark:bg-transparent`}
      >
        {children}
      </div>
    </>
  );
}
