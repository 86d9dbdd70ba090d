/**
 * Security headers on every answer (helmet): a content policy that lets the screens load only from
 * the controller itself, no framing, no MIME sniffing, no referrer. No HSTS and no
 * upgrade-insecure-requests: screens and phones reach the controller over plain HTTP on the
 * centre's LAN, and those would lock them out.
 */
import type { RequestHandler } from 'express';
import helmet from 'helmet';

export const CONTENT_POLICY_DIRECTIVES = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  scriptSrcAttr: ["'none'"],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  imgSrc: ["'self'", 'data:', 'blob:'],
  mediaSrc: ["'self'", 'blob:', 'data:'],
  connectSrc: ["'self'", 'ws:', 'wss:'],
  styleSrc: ["'self'", "'unsafe-inline'"],
  fontSrc: ["'self'", 'data:'],
  frameAncestors: ["'none'"],
  upgradeInsecureRequests: null,
};

export function securityHeaders(): RequestHandler {
  return helmet({
    contentSecurityPolicy: { useDefaults: false, directives: CONTENT_POLICY_DIRECTIVES },
    strictTransportSecurity: false,
    crossOriginEmbedderPolicy: false,
    referrerPolicy: { policy: 'no-referrer' },
  });
}
