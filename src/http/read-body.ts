import type { IncomingMessage } from 'node:http';

/**
 * The raw request body, or 'too-large' as soon as it passes `limit` bytes — at once, without reading
 * anything, when the declared Content-Length is already over. The rest is not read: the caller
 * answers 413 and closes the connection. `onChunk` sees each chunk as it arrives (e.g. to feed a
 * signature check while the body streams in).
 */
export function readBody(req: IncomingMessage, limit: number, onChunk?: (chunk: Buffer) => void): Promise<Buffer | 'too-large'> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.resolve('too-large');
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) {
        req.off('data', onData);
        req.pause();
        resolve('too-large');
        return;
      }
      onChunk?.(chunk);
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(chunks, size)));
    req.once('error', reject);
  });
}
