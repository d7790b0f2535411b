// A loopback stand-in for the Bot Framework's token-signing key endpoint (the OpenID metadata
// document and its JWKS), and a signer for tokens shaped like the ones the channel sends a bot.
// Point the Teams bot at it with createTeamsBot({ …, tokenKeys: { openIdMetadataUrl } }), so every
// token — genuine or forged — is checked by botbuilder's real code without leaving the machine.
//
//   const keys = await startBotTokenKeys();
//   keys.sign({ iss: 'https://api.botframework.com', aud: APP_ID, serviceurl, … })   // published key
//   keys.sign(claims, { key: 'unpublished' })                                          // a forger's key
import { createHmac, generateKeyPairSync, type KeyObject, sign as rsaSign } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export const CHANNEL_ISSUER = 'https://api.botframework.com';
export const PUBLISHED_KID = 'sendbot-test-key';
/** Published, but endorsed for another channel than msteams. */
export const OTHER_CHANNEL_KID = 'other-channel-key';

export interface SignOptions {
  /** Which private key signs: the published one (default), one published for another channel, or a forger's. */
  key?: 'published' | 'other-channel' | 'unpublished';
  /** The header's kid (default: the signing key's own, or PUBLISHED_KID for the forger's key). */
  kid?: string | null;
  alg?: string;
  /** Extra header fields (jku, x5c…). */
  header?: Record<string, unknown>;
}

export interface BotTokenKeys {
  /** The OpenID metadata document's URL: botbuilder's ToBotFromChannelOpenIdMetadataUrl. */
  readonly openIdMetadataUrl: string;
  /** The published public key, as PEM (what an algorithm-confusion forger would use as an HMAC secret). */
  readonly publicKeyPem: string;
  sign(claims: Record<string, unknown>, options?: SignOptions): string;
  /** Signs header.payload with HMAC-SHA256 and `secret` (alg HS256). */
  signHs256(claims: Record<string, unknown>, secret: string | Buffer, kid?: string): string;
  /** How many times the key endpoint was fetched. */
  readonly fetches: number;
  close(): Promise<void>;
}

const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

export async function startBotTokenKeys(): Promise<BotTokenKeys> {
  const published = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const otherChannel = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const forger = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = (key: KeyObject, kid: string, endorsements: string[]) => ({ ...key.export({ format: 'jwk' }), kid, kty: 'RSA', use: 'sig', endorsements });
  let fetches = 0;
  let base = '';
  const server: Server = createServer((req, res) => {
    fetches += 1;
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path === '/v1/.well-known/openidconfiguration') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({ issuer: CHANNEL_ISSUER, authorization_endpoint: `${base}/unused`, jwks_uri: `${base}/v1/.well-known/keys`, id_token_signing_alg_values_supported: ['RS256'] }),
      );
      return;
    }
    if (path === '/v1/.well-known/keys') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({ keys: [jwk(published.publicKey, PUBLISHED_KID, ['msteams', 'webchat']), jwk(otherChannel.publicKey, OTHER_CHANNEL_KID, ['skype'])] }),
      );
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    openIdMetadataUrl: `${base}/v1/.well-known/openidconfiguration`,
    publicKeyPem: published.publicKey.export({ format: 'pem', type: 'spki' }).toString(),
    get fetches() {
      return fetches;
    },
    sign(claims, options = {}) {
      const which = options.key ?? 'published';
      const privateKey = which === 'published' ? published.privateKey : which === 'other-channel' ? otherChannel.privateKey : forger.privateKey;
      const defaultKid = which === 'other-channel' ? OTHER_CHANNEL_KID : PUBLISHED_KID;
      const kid = options.kid === undefined ? defaultKid : options.kid;
      const header = { alg: options.alg ?? 'RS256', typ: 'JWT', ...(kid === null ? {} : { kid }), ...options.header };
      const input = `${b64(header)}.${b64(claims)}`;
      return `${input}.${rsaSign('RSA-SHA256', Buffer.from(input), privateKey).toString('base64url')}`;
    },
    signHs256(claims, secret, kid = PUBLISHED_KID) {
      const input = `${b64({ alg: 'HS256', typ: 'JWT', kid })}.${b64(claims)}`;
      return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
    },
    close: () =>
      new Promise((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
