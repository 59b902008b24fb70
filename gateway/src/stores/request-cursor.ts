// A position in the request log, newest first: the (time, id) of the last row a page showed.

export function encodeCursor(row: { time: number; id: string }): string {
  return Buffer.from(`${row.time}:${row.id}`).toString('base64url');
}

export function decodeCursor(cursor: string): { time: number; id: string } | undefined {
  const text = Buffer.from(cursor, 'base64url').toString();
  const separator = text.indexOf(':');
  const time = Number(text.slice(0, separator));
  const id = text.slice(separator + 1);
  return separator > 0 && id !== '' && Number.isFinite(time) ? { time, id } : undefined;
}
