import pino from 'pino';

export type Logger = pino.Logger;

export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'hubnet' },
    timestamp: pino.stdTimeFunctions.isoTime,
    // Never log credentials or tokens, wherever they appear in a logged object.
    redact: ['password', '*.password', 'authorization', '*.authorization', 'token', '*.token', 'req.headers.authorization'],
  });
}
