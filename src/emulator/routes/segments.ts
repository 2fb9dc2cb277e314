import { randomUUID } from 'node:crypto';
import { inSegment, parseFilters } from '../audience.js';
import { type Operation, ok } from '../operation.js';
import { fail, isUuid, paging } from '../util.js';

export const segmentOperations: Operation[] = [
  {
    id: 'get_segments',
    method: 'GET',
    path: '/apps/:app_id/segments',
    auth: 'app',
    handler: ({ app, query }) => {
      const { limit, offset } = paging(query, 300, 'segments');
      // Map order is creation order, i.e. created_at ascending.
      const all = [...app.segments.values()];
      const segments = all.slice(offset, offset + limit).map((s) => ({
        id: s.id,
        name: s.name,
        created_at: s.created_at,
        updated_at: s.updated_at,
        app_id: s.app_id,
        read_only: s.read_only,
        is_active: s.is_active,
      }));
      return ok({ total_count: all.length, offset, limit, segments });
    },
  },
  {
    id: 'create_segments',
    method: 'POST',
    path: '/apps/:app_id/segments',
    auth: 'app',
    handler: ({ app, body }) => {
      const name = body.name;
      if (typeof name !== 'string' || name.trim() === '') throw fail(400, 'name is required');
      if (body.filters === undefined || body.filters === null) throw fail(400, 'filters is required');
      const filters = parseFilters(body.filters);
      if (!filters.some((f) => f.field !== undefined))
        throw fail(400, 'filters must contain at least one filter');
      if (app.segmentByName(name))
        return ok({ success: false, errors: [`Segment with the name '${name}' already exists`] }, 409);
      const id =
        typeof body.id === 'string' && isUuid(body.id) && !app.segments.has(body.id) ? body.id : randomUUID();
      const now = new Date().toISOString();
      app.addSegment({
        id,
        app_id: app.id,
        name,
        filters,
        created_at: now,
        updated_at: now,
        read_only: false,
        is_active: true,
      });
      return ok({ success: true, id }, 201);
    },
  },
  {
    id: 'get_segment',
    method: 'GET',
    path: '/apps/:app_id/segments/:segment_id',
    auth: 'app',
    handler: ({ app, params, query, now }) => {
      const id = params.segment_id;
      if (!isUuid(id)) throw fail(400, `Segment id '${id}' is not a valid UUID`);
      const segment = app.segments.get(id);
      if (!segment) throw fail(404, `Segment '${id}' not found`);
      let subscriberCount = 0;
      for (const p of app.players.values()) if (inSegment(app, segment, p, now)) subscriberCount++;
      const payload: Record<string, unknown> = {
        id: segment.id,
        name: segment.name,
        description: segment.description ?? '',
        created_at: Math.floor(Date.parse(segment.created_at) / 1000),
        source: segment.read_only ? 'default' : 'custom',
      };
      // The definition only when asked for, as OneSignal does.
      if (query.get('include-segment-detail') === 'true') payload.filters = segment.filters;
      return ok({ subscriber_count: subscriberCount, payload });
    },
  },
  {
    id: 'update_segment',
    method: 'PATCH',
    path: '/apps/:app_id/segments/:segment_id',
    auth: 'app',
    handler: ({ app, params, body }) => {
      const id = params.segment_id;
      if (!isUuid(id)) throw fail(400, `Segment id '${id}' is not a valid UUID`);
      const segment = app.segments.get(id);
      if (!segment) throw fail(404, `Segment '${id}' not found`);
      if (segment.read_only) throw fail(400, `Segment '${segment.name}' is read-only and cannot be changed`);
      const name = body.name;
      if (typeof name !== 'string' || name.trim() === '') throw fail(400, 'name is required');
      if (body.description !== undefined && typeof body.description !== 'string')
        throw fail(400, 'description must be a string');
      let filters: typeof segment.filters | undefined;
      if (body.filters !== undefined && body.filters !== null) {
        filters = parseFilters(body.filters);
        if (!filters.some((f) => f.field !== undefined))
          throw fail(400, 'filters must contain at least one filter');
      }
      const other = app.segmentByName(name);
      if (other && other.id !== id)
        return ok({ success: false, errors: [`Segment with the name '${name}' already exists`] }, 409);
      app.updateSegment(id, {
        name,
        ...(filters ? { filters } : {}),
        ...(typeof body.description === 'string' ? { description: body.description } : {}),
        updated_at: new Date().toISOString(),
      });
      return ok({ success: true, id });
    },
  },
  {
    id: 'delete_segments',
    method: 'DELETE',
    path: '/apps/:app_id/segments/:segment_id',
    auth: 'app',
    handler: ({ app, params }) => {
      const id = params.segment_id;
      if (!isUuid(id)) throw fail(400, `Segment id '${id}' is not a valid UUID`);
      const segment = app.segments.get(id);
      if (!segment) return ok({ success: false }, 404);
      if (segment.read_only) throw fail(400, `Segment '${segment.name}' is read-only and cannot be deleted`);
      app.removeSegment(id);
      return ok({ success: true });
    },
  },
];
