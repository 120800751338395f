/** A plain GET against a fake upstream, for the demo tests: status, content type and parsed JSON body. */
export interface GotAnswer {
  status: number;
  contentType: string | null;
  text: string;
  /** The body parsed as JSON (undefined when it is not JSON). */
  body: any;
}

export async function get(base: string, path: string, headers: Record<string, string> = {}): Promise<GotAnswer> {
  const response = await fetch(`${base}${path}`, { headers });
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: response.status, contentType: response.headers.get('content-type'), text, body };
}
