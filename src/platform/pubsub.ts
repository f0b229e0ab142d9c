import { createPubSub } from '@graphql-yoga/subscription';
import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import Redis from 'ioredis';

/**
 * One pub/sub for the whole service: in-process by default, Redis when REDIS_URL is set so every
 * replica delivers every replica's events. Payloads are plain JSON (ids and kinds); subscribers
 * load what they may see with a fresh context per event.
 */
export type HubnetPubSub = ReturnType<typeof createPubSub<Record<string, [unknown]>>> & { close(): Promise<void> };

export function createHubnetPubSub(redisUrl?: string): HubnetPubSub {
  if (!redisUrl) {
    const ps = createPubSub<Record<string, [unknown]>>();
    return Object.assign(ps, { close: async () => undefined });
  }
  const publishClient = new Redis(redisUrl, { lazyConnect: false, maxRetriesPerRequest: 3 });
  const subscribeClient = new Redis(redisUrl, { lazyConnect: false, maxRetriesPerRequest: 3 });
  const eventTarget = createRedisEventTarget({ publishClient, subscribeClient });
  const ps = createPubSub<Record<string, [unknown]>>({ eventTarget });
  return Object.assign(ps, {
    close: async () => {
      publishClient.disconnect();
      subscribeClient.disconnect();
    },
  });
}
