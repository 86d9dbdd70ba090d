/**
 * Listens to every key press on the page for what a keyboard-mode scanner types (see
 * scan-capture.ts). Keys that belong to a scan are kept from the page, so the Enter that ends a
 * code never "presses" the service button a finger touched last.
 */
import { useEffect, useRef } from 'preact/hooks';
import { ScanCapture } from './scan-capture.ts';

export function useScanner(onCode: (code: string) => void, maxGapMs: number): void {
  const handler = useRef(onCode);
  handler.current = onCode;
  useEffect(() => {
    const capture = new ScanCapture({ maxGapMs });
    const onKeyDown = (e: KeyboardEvent) => {
      // Shortcuts are not scans; AltGr (Ctrl+Alt on some layouts) types characters, so it is kept.
      if ((e.ctrlKey || e.metaKey || e.altKey) && !e.getModifierState('AltGraph')) return;
      const { code, consumed } = capture.key(e.key, e.timeStamp);
      if (consumed) e.preventDefault();
      if (code) handler.current(code);
    };
    // A button activates on the key's release too (Space): keep that from the page as well.
    const onKeyUp = (e: KeyboardEvent) => {
      if (e.key === 'Enter' || e.key === ' ') e.preventDefault();
    };
    document.addEventListener('keydown', onKeyDown, true);
    document.addEventListener('keyup', onKeyUp, true);
    return () => {
      document.removeEventListener('keydown', onKeyDown, true);
      document.removeEventListener('keyup', onKeyUp, true);
    };
  }, [maxGapMs]);
}
