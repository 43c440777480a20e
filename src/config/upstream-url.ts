// upstream.url is scheme://host[:port]: the client appends the API paths itself.

const EXPECTED = "expected scheme://host[:port] with scheme http or https";

/** The normalised origin, or a message. Never echoes the input: it may hold credentials. */
export function checkUpstreamUrl(text: string): { origin: string } | { message: string } {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) return { message: `${EXPECTED}, got no scheme (like https://bp.example.com)` };
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { message: `${EXPECTED}, got an invalid URL` };
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    return { message: `${EXPECTED}, got scheme "${url.protocol.slice(0, -1)}"` };
  }
  if (url.username !== "" || url.password !== "") {
    return { message: `${EXPECTED}, without credentials (set them under upstream.auth)` };
  }
  if (url.pathname !== "/" || url.search !== "" || url.hash !== "" || /[?#]/.test(text)) {
    return { message: `${EXPECTED}, without a path, query or fragment (the API paths are added by the exporter)` };
  }
  return { origin: url.origin };
}
