import type { OneSignalClient } from '../onesignal/index.js';
import { appLoaders } from './apps.js';
import { inAppMessageLoaders } from './in-app-messages.js';
import { journeyLoaders } from './journeys.js';
import { notificationLoaders } from './notifications.js';
import { playerLoaders } from './players.js';
import { segmentLoaders } from './segments.js';
import { templateLoaders } from './templates.js';
import { userLoaders } from './users.js';

/**
 * A fresh set of loaders for one GraphQL request. Every upstream read goes through one of these,
 * so a resource is fetched at most once per operation, and list reads prime the item loaders.
 *
 * Each group (apps, notifications, …) is built the first time one of its loaders is used: most
 * operations touch one or two groups, and building all twenty DataLoaders for every request was 6 %
 * of a cached request's CPU (bench/peer.ts profile). A group is built whole, since its loaders prime
 * one another.
 */
export function createLoaders(client: OneSignalClient): Loaders {
  return new RequestLoaders(client);
}

type Group<F extends (client: OneSignalClient) => object> = ReturnType<F>;

export type Loaders = Group<typeof appLoaders> &
  Group<typeof notificationLoaders> &
  Group<typeof playerLoaders> &
  Group<typeof segmentLoaders> &
  Group<typeof templateLoaders> &
  Group<typeof userLoaders> &
  Group<typeof inAppMessageLoaders> &
  Group<typeof journeyLoaders>;

class RequestLoaders implements Loaders {
  #apps: Group<typeof appLoaders> | undefined;
  #notifications: Group<typeof notificationLoaders> | undefined;
  #players: Group<typeof playerLoaders> | undefined;
  #segments: Group<typeof segmentLoaders> | undefined;
  #templates: Group<typeof templateLoaders> | undefined;
  #users: Group<typeof userLoaders> | undefined;
  #inAppMessages: Group<typeof inAppMessageLoaders> | undefined;
  #journeys: Group<typeof journeyLoaders> | undefined;

  constructor(private readonly client: OneSignalClient) {}

  private get apps() {
    this.#apps ??= appLoaders(this.client);
    return this.#apps;
  }
  private get notifications() {
    this.#notifications ??= notificationLoaders(this.client);
    return this.#notifications;
  }
  private get players() {
    this.#players ??= playerLoaders(this.client);
    return this.#players;
  }
  private get segments() {
    this.#segments ??= segmentLoaders(this.client);
    return this.#segments;
  }
  private get templates() {
    this.#templates ??= templateLoaders(this.client);
    return this.#templates;
  }
  private get users() {
    this.#users ??= userLoaders(this.client);
    return this.#users;
  }
  private get inAppMessages() {
    this.#inAppMessages ??= inAppMessageLoaders(this.client);
    return this.#inAppMessages;
  }
  private get journeys() {
    this.#journeys ??= journeyLoaders(this.client);
    return this.#journeys;
  }

  get allApps() {
    return this.apps.allApps;
  }
  get app() {
    return this.apps.app;
  }
  get outcomes() {
    return this.apps.outcomes;
  }
  get notificationPage() {
    return this.notifications.notificationPage;
  }
  get notification() {
    return this.notifications.notification;
  }
  get primeNotification() {
    return this.notifications.primeNotification;
  }
  get playerPage() {
    return this.players.playerPage;
  }
  get player() {
    return this.players.player;
  }
  get segmentPage() {
    return this.segments.segmentPage;
  }
  get allSegments() {
    return this.segments.allSegments;
  }
  get segmentDetail() {
    return this.segments.segmentDetail;
  }
  get template() {
    return this.templates.template;
  }
  get templatePage() {
    return this.templates.templatePage;
  }
  get user() {
    return this.users.user;
  }
  get subscriptionOwner() {
    return this.users.subscriptionOwner;
  }
  get subscription() {
    return this.users.subscription;
  }
  get eligibleInAppMessages() {
    return this.users.eligibleInAppMessages;
  }
  get primeUser() {
    return this.users.primeUser;
  }
  get forgetUser() {
    return this.users.forgetUser;
  }
  get forgetSubscription() {
    return this.users.forgetSubscription;
  }
  get inAppMessage() {
    return this.inAppMessages.inAppMessage;
  }
  get inAppMessagePage() {
    return this.inAppMessages.inAppMessagePage;
  }
  get inAppMessageStats() {
    return this.inAppMessages.inAppMessageStats;
  }
  get journey() {
    return this.journeys.journey;
  }
  get journeyPage() {
    return this.journeys.journeyPage;
  }
  get journeyStats() {
    return this.journeys.journeyStats;
  }
}
