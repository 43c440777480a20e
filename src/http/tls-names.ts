// exporter-toolkit names TLS settings the way Go's crypto/tls does; Node takes OpenSSL's names.
// These tables translate the Go names a web config may hold into what https.createServer accepts.
import type { SecureVersion } from "node:tls";

/** Versions this exporter accepts. TLS 1.0 and 1.1 are deprecated (RFC 8996) and off in Node's OpenSSL 3 by default. */
export const TLS_VERSIONS: Record<string, SecureVersion> = { TLS12: "TLSv1.2", TLS13: "TLSv1.3" };
export const DEPRECATED_TLS_VERSIONS = new Set(["TLS10", "TLS11"]);

/**
 * Go's secure TLS 1.2 suites (crypto/tls CipherSuites()) → OpenSSL names. Go's insecure suites (RC4, 3DES,
 * CBC-SHA256) are left out on purpose: naming one is an error.
 */
export const TLS12_CIPHER_SUITES: Record<string, string> = {
  TLS_RSA_WITH_AES_128_CBC_SHA: "AES128-SHA",
  TLS_RSA_WITH_AES_256_CBC_SHA: "AES256-SHA",
  TLS_RSA_WITH_AES_128_GCM_SHA256: "AES128-GCM-SHA256",
  TLS_RSA_WITH_AES_256_GCM_SHA384: "AES256-GCM-SHA384",
  TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA: "ECDHE-ECDSA-AES128-SHA",
  TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA: "ECDHE-ECDSA-AES256-SHA",
  TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA: "ECDHE-RSA-AES128-SHA",
  TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA: "ECDHE-RSA-AES256-SHA",
  TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256: "ECDHE-ECDSA-AES128-GCM-SHA256",
  TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384: "ECDHE-ECDSA-AES256-GCM-SHA384",
  TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256: "ECDHE-RSA-AES128-GCM-SHA256",
  TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384: "ECDHE-RSA-AES256-GCM-SHA384",
  TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256: "ECDHE-RSA-CHACHA20-POLY1305",
  TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256: "ECDHE-ECDSA-CHACHA20-POLY1305",
  // Go's older aliases of the two above.
  TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305: "ECDHE-RSA-CHACHA20-POLY1305",
  TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305: "ECDHE-ECDSA-CHACHA20-POLY1305",
};

/** Go does not let TLS 1.3 suites be configured (all three are always on); naming them is allowed and changes nothing. */
export const TLS13_CIPHER_SUITES = ["TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256", "TLS_AES_128_GCM_SHA256"];

/** Go's tls.CurveID names → OpenSSL group names for `ecdhCurve`. */
export const CURVES: Record<string, string> = {
  CurveP256: "P-256",
  CurveP384: "P-384",
  CurveP521: "P-521",
  X25519: "X25519",
};

/**
 * The TLS 1.2 suites used when the web config names none: forward secret (ECDHE) and AEAD only, as
 * exporter-toolkit's defaults. OpenSSL's own defaults also offer RSA key exchange and CBC suites.
 */
export const DEFAULT_TLS12_CIPHER_SUITES = [
  "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
  "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
  "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
  "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
  "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
  "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
];

/**
 * The OpenSSL cipher string for the TLS 1.2 suites named: they, in the order given (the server's preference),
 * then the TLS 1.3 suites so that TLS 1.3 keeps working as it does in Go. When no TLS 1.2 suite is named
 * (an empty list would switch TLS 1.2 off), DEFAULT_TLS12_CIPHER_SUITES.
 */
export function cipherString(goNames: readonly string[]): string {
  const named = goNames.flatMap((name) => TLS12_CIPHER_SUITES[name] ?? []);
  const tls12 = named.length > 0 ? named : DEFAULT_TLS12_CIPHER_SUITES.map((name) => TLS12_CIPHER_SUITES[name]!);
  return [...new Set(tls12), ...TLS13_CIPHER_SUITES].join(":");
}
