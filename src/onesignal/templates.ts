import type { WireSuccess } from './common.js';
import type { WireStringMap } from './notifications.js';
import { appAuth, type OperationRequest, path, type Requester, userAuth } from './request.js';

/** The channel a template is for (TemplateResource.channel). */
export type WireTemplateChannel = 'push' | 'email' | 'sms';

/**
 * A message template (TemplateResource; current API, not in v1.2.2). view_templates answers the summary
 * (no `content`); view_template, create, update and copy answer it whole.
 */
export interface WireTemplate {
  /** UUID. */
  id: string;
  name: string;
  /** ISO 8601. */
  created_at: string;
  /** ISO 8601. */
  updated_at: string;
  channel?: WireTemplateChannel;
  /** Rendered content and platform flags: the template's message fields under their send names (`contents`, `email_subject`, `isIos`, …). */
  content?: WireTemplateContent;
}

/** What `content` holds: the fields a send takes from the template. */
export interface WireTemplateContent {
  contents?: WireStringMap;
  headings?: WireStringMap;
  subtitle?: WireStringMap;
  email_subject?: string;
  /** HTML. */
  email_body?: string;
  [key: string]: unknown;
}

/** One page of view_templates (TemplatesListResponse): no total count upstream. */
export interface WireTemplateList {
  templates: WireTemplate[];
}

/**
 * Body of update_template (UpdateTemplateRequest); create_template adds `app_id` and needs `name` and
 * `contents`. Beside the fields the SDK models name, OneSignal's create-template reference takes every
 * property of the template's channel (push platform options, email sender settings, SMS sender and
 * media) under create_notification's wire names: `[field]` carries those.
 */
export interface WireTemplateBody {
  name?: string;
  /** Language code → text; `en` required when given. */
  contents?: WireStringMap;
  headings?: WireStringMap;
  subtitle?: WireStringMap;
  /**
   * Makes it an email template (needs `email_subject` and `email_body`). Spelled `isEmail` on the
   * wire (OneSignal's reference; node-onesignal 5.x maps its `is_email` to that name), like `isSMS`.
   */
  isEmail?: boolean;
  email_subject?: string;
  /** HTML. */
  email_body?: string;
  /** Addresses that get a hidden copy (current API). */
  email_bcc?: string[];
  /** Makes it an SMS template. */
  isSMS?: boolean;
  [field: string]: unknown;
}

export interface TemplateListParams {
  /** Max 50 (OneSignal's page size). */
  limit?: number;
  offset?: number;
  channel?: WireTemplateChannel;
}

/** Templates. Reads and writes are signed with the app's REST API key; copying needs the user auth key. */
export function templatesApi(http: Requester) {
  /**
   * Read your own writes: the template a create or update returned answers its next view for a few
   * seconds, so reading it right after costs no request.
   */
  const seeded = async (appId: string, body: WireTemplateBody, creating: boolean, answer: WireTemplate) => {
    const snapshot = templateSnapshot(body, answer, creating);
    if (snapshot) await http.seed(viewTemplate(appId, snapshot.id), snapshot);
    return answer;
  };

  return {
    /** GET /templates?app_id= (view_templates; current API). Summaries only. */
    list: (appId: string, params: TemplateListParams = {}) =>
      http.request<WireTemplateList>({
        operation: 'view_templates',
        method: 'GET',
        path: '/templates',
        query: { app_id: appId, limit: params.limit, offset: params.offset, channel: params.channel },
        auth: appAuth(appId),
        retry: 'idempotent',
      }),

    /** GET /templates/{template_id}?app_id= (view_template). */
    get: (appId: string, templateId: string) => http.request<WireTemplate>(viewTemplate(appId, templateId)),

    /** POST /templates (create_template). Not retried once sent. */
    create: async (appId: string, body: WireTemplateBody & { name: string; contents: WireStringMap }) =>
      seeded(
        appId,
        body,
        true,
        await http.request<WireTemplate>({
          operation: 'create_template',
          method: 'POST',
          path: '/templates',
          body: { ...body, app_id: appId },
          auth: appAuth(appId),
          retry: 'unsafe',
        }),
      ),

    /** PATCH /templates/{template_id}?app_id= (update_template): the given fields replace the stored ones. */
    update: async (appId: string, templateId: string, body: WireTemplateBody) =>
      seeded(
        appId,
        body,
        false,
        await http.request<WireTemplate>({
          operation: 'update_template',
          method: 'PATCH',
          path: path`/templates/${templateId}`,
          query: { app_id: appId },
          body,
          auth: appAuth(appId),
          retry: 'idempotent',
        }),
      ),

    /** DELETE /templates/{template_id}?app_id= (delete_template). */
    delete: (appId: string, templateId: string) =>
      http.request<WireSuccess>({
        operation: 'delete_template',
        method: 'DELETE',
        path: path`/templates/${templateId}`,
        query: { app_id: appId },
        auth: appAuth(appId),
        retry: 'idempotent',
      }),

    /**
     * POST /templates/{template_id}/copy_to_app?app_id= (copy_template_to_app): a new template with the
     * same content in `targetAppId` (same organization). Needs the user auth key (organization API key).
     */
    copy: (appId: string, templateId: string, targetAppId: string) =>
      http.request<WireTemplate>({
        operation: 'copy_template_to_app',
        method: 'POST',
        path: path`/templates/${templateId}/copy_to_app`,
        query: { app_id: appId },
        body: { target_app_id: targetAppId },
        auth: userAuth,
        retry: 'unsafe',
      }),
  };
}

/** view_template, one request description for the read and for the snapshot a write seeds for it. */
const viewTemplate = (appId: string, templateId: string): OperationRequest => ({
  operation: 'view_template',
  method: 'GET',
  path: path`/templates/${templateId}`,
  query: { app_id: appId },
  auth: appAuth(appId),
  retry: 'idempotent',
});

/** The `content` fields a template write sets. */
const CONTENT_FIELDS = ['contents', 'headings', 'subtitle', 'email_subject', 'email_body'] as const;

/**
 * What view_template would answer right after a create or update: OneSignal's answer when it holds the
 * content (it returns the whole template), else, for a create, that answer with the content sent.
 * An update answered without content has none to tell (the fields not sent are OneSignal's), so it
 * makes no snapshot; nor does an answer without an id.
 */
export function templateSnapshot(
  body: WireTemplateBody,
  answer: WireTemplate,
  creating: boolean,
): WireTemplate | undefined {
  if (!answer?.id) return undefined;
  if (answer.content) return answer;
  if (!creating) return undefined;
  const content: Record<string, unknown> = {};
  for (const field of CONTENT_FIELDS) if (body[field] != null) content[field] = body[field];
  const channel = body.is_email ? 'email' : body.is_sms ? 'sms' : 'push';
  return { ...answer, channel: answer.channel ?? channel, content: content as WireTemplateContent };
}
