/**
 * Which journeys use which in-app messages of one app. OneSignal refuses to delete an in-app message
 * while a journey uses it; journeys (routes/journeys.ts) record here what their nodes show, and the
 * in-app message delete (routes/in-app-messages.ts) asks here, so neither route reads the other's store.
 */
export class InAppMessageUsage {
  private readonly byJourney = new Map<string, Set<string>>();

  /** Journey `journeyId` now shows exactly these in-app messages (replaces what it showed before). */
  set(journeyId: string, inAppMessageIds: Iterable<string>): void {
    const ids = new Set(inAppMessageIds);
    if (ids.size === 0) this.byJourney.delete(journeyId);
    else this.byJourney.set(journeyId, ids);
  }

  /** Journey `journeyId` is gone. */
  release(journeyId: string): void {
    this.byJourney.delete(journeyId);
  }

  /** The journeys that show in-app message `inAppMessageId`, in the order they started using it. */
  journeysUsing(inAppMessageId: string): string[] {
    return [...this.byJourney].filter(([, ids]) => ids.has(inAppMessageId)).map(([journey]) => journey);
  }
}
