// POST /-/reload changes what the exporter does: a web page in someone's browser must not be able to call it.
// Browsers send a "simple" cross-origin POST (text/plain, form types) without asking first, but they mark it:
// Sec-Fetch-Site on current browsers, Origin on every POST from a page. Prometheus, curl and scripts send neither.
import type { RequestHandler } from "express";

/** Refuses (403) a request a browser marks as coming from another site or origin. */
export const sameOriginOnly: RequestHandler = (req, res, next) => {
  const site = req.headers["sec-fetch-site"];
  const origin = req.headers.origin;
  const ownOrigin = `${req.protocol}://${req.headers.host ?? ""}`;
  const crossSite = site !== undefined && site !== "same-origin" && site !== "none";
  if (crossSite || (origin !== undefined && origin !== ownOrigin)) {
    res.status(403).type("text/plain").send("cross-origin requests to this endpoint are refused\n");
    return;
  }
  next();
};
