/** Unix seconds → Date; null unless a positive finite number (absent timestamps may come as 0). */
export const fromUnix = (seconds: number | null | undefined): Date | null =>
  typeof seconds === 'number' && Number.isFinite(seconds) && seconds > 0 ? new Date(seconds * 1000) : null;

/** Date → unix seconds, as OneSignal takes them. */
export const toUnix = (date: Date) => Math.floor(date.getTime() / 1000);

/** ISO 8601 text → Date; null when absent or unparsable. */
export function fromIso(iso: string | null | undefined): Date | null {
  if (!iso) return null;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? null : date;
}
