/** Live delivery from the built server: `node dist/main.mjs` on its embedded emulator, over SSE. */
import { describe, expect, it } from 'vitest';
import { cleanEnv, startArtifact } from '../helpers/artifact.js';
import { DELIVERY, expectProgress, sendThrough, subscribeSse, updatesOf } from '../helpers/sse.js';

describe('the built server (node dist/main.mjs)', () => {
  it('streams a fresh send on the embedded emulator over SSE, from its first counts to DELIVERED', async () => {
    const server = await startArtifact(
      cleanEnv({
        AUTH_MODE: 'none',
        AUTH_ALLOW_NONE: 'true',
        EMULATOR_DELIVERY_MS: '3000',
        DELIVERY_POLL_MS: '500',
      }),
    );
    try {
      const id = await sendThrough(server.graphqlUrl);
      const { events, completed } = await subscribeSse(server.graphqlUrl, DELIVERY, { id });
      expect(completed).toBe(true);
      expectProgress(updatesOf(events));
    } finally {
      await server.stop();
    }
  });
});
