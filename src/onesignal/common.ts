/** Answers that only report success (cancel_notification, delete_player, update_player, …). */
export interface WireSuccess {
  success?: boolean;
}

/** export_players / export_events answer: a gzip CSV URL that may take minutes to appear (403 until then). */
export interface WireCsvExportResult {
  csv_file_url?: string;
}

/** Finds an alias-addressed user: `{ label: 'external_id', id: 'u-42' }` or `{ label: 'onesignal_id', id: '…' }`. */
export interface AliasRef {
  label: string;
  id: string;
}
