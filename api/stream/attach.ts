/**
 * WS /v1/stream on the API's own HTTP server (same host and port as REST, as the contract says).
 * `attachStreaming(server, deps)` is the one way in, for the server entrypoint and the test stack.
 * Recognition runs in the engine threads of lib/streaming/pool.ts, never on this event loop.
 * The request URL (it may carry `?token=`) is never logged; only the path is.
 */
import type http from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Config } from '../../lib/config';
import type { Logger } from '../../lib/log';
import { StreamEnginePool } from '../../lib/streaming/pool';
import type { ApiDeps } from '../deps';
import { identify } from './caller';
import { CloseCode, StreamError } from './close-codes';
import { StreamSession } from './session';

export const STREAM_PATH = '/v1/stream';

export interface StreamingDeps {
  api: Pick<ApiDeps, 'accounts' | 'tiers' | 'store' | 'temporal' | 'models'>;
  config: Pick<Config, 'stream' | 'temporal' | 'inference' | 'llm' | 'modelsDir' | 'logLevel' | 'http' | 'pageTokenKey'>;
  log: Logger;
  /** False only where no Temporal runs (the streaming bench): finished streams are not stored. */
  saveTranscripts?: boolean;
}

export interface Streaming {
  readonly pool: StreamEnginePool;
  /** Live sessions right now. */
  readonly sessions: number;
  /** Closes every live stream (1001) and stops the engine threads. */
  close(): Promise<void>;
}

export function attachStreaming(server: http.Server, deps: StreamingDeps): Streaming {
  const { config, log } = deps;
  const pool = new StreamEnginePool(
    { modelsDir: config.modelsDir, inference: config.inference, llm: config.llm, logLevel: config.logLevel, partialDecoder: config.stream.partialDecoder },
    config.stream.threads,
    log,
  );
  // maxPayload: ws reads a frame's length from its header and refuses it before buffering any of it.
  const wss = new WebSocketServer({ noServer: true, maxPayload: config.stream.maxFrameBytes, perMessageDeflate: false });
  const live = new Set<WebSocket>();

  const onUpgrade = (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = (req.url ?? '').split('?')[0];
    if (path !== STREAM_PATH) {
      // Other paths have no WebSocket: answered like any unknown route, as JSON.
      socket.end('HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n{"error":"Not found."}');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => void accept(ws, req));
  };
  server.on('upgrade', onUpgrade);

  async function accept(ws: WebSocket, req: http.IncomingMessage): Promise<void> {
    live.add(ws);
    ws.on('close', () => live.delete(ws));
    ws.on('error', () => undefined);
    let caller;
    try {
      caller = await identify(req, deps.api, config.http.trustProxy);
    } catch (err) {
      const e = err instanceof StreamError ? err : new StreamError(CloseCode.Internal, 'Authentication failed on the server.');
      if (!(err instanceof StreamError)) log.error({ err }, 'stream authentication failed');
      if (ws.readyState === ws.OPEN) {
        ws.send(JSON.stringify({ error: e.message }));
        ws.close(e.code);
      }
      return;
    }
    if (ws.readyState !== ws.OPEN) return;
    const session = new StreamSession(ws, caller, { api: deps.api, config, pool, log, saveTranscripts: deps.saveTranscripts !== false });
    // An oversized frame: ws closes with 1009 right after its receiver reports it; this listener runs
    // first, so the client gets the reason as JSON before the close frame.
    (ws as unknown as { _receiver?: NodeJS.EventEmitter })._receiver?.prependListener('error', (err: Error & { code?: string }) => {
      if (err.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') {
        session.fail(new StreamError(CloseCode.TooBig, `Frames may be at most ${Math.floor(config.stream.maxFrameBytes / 1024)} KB; send audio in smaller chunks (browsers send 4096 samples, 8 KB).`));
      } else {
        session.fail(new StreamError(CloseCode.Policy, `Invalid WebSocket frame: ${err.message}`));
      }
    });
    log.debug({ path: STREAM_PATH, stream: session.id, tenant: caller.tenant }, 'stream opened');
  }

  return {
    pool,
    get sessions() {
      return live.size;
    },
    async close() {
      server.off('upgrade', onUpgrade);
      for (const ws of live) {
        if (ws.readyState === ws.OPEN) {
          ws.send(JSON.stringify({ error: 'The server is shutting down.' }));
          ws.close(CloseCode.GoingAway);
        }
      }
      await new Promise((r) => setTimeout(r, 200));
      for (const ws of live) ws.terminate();
      wss.close();
      await pool.close();
    },
  };
}
