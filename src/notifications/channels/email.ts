import nodemailer, { type Transporter } from 'nodemailer';

export interface EmailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Stable per delivery batch: a retried send carries the same Message-ID, so mail systems can drop a duplicate. */
  messageId: string;
}

export interface EmailChannel {
  send(message: EmailMessage): Promise<void>;
  close(): void;
}

/**
 * Email over SMTP (SMTP_URL, e.g. smtp://user:pass@mail.example:587 or smtps://…:465) with
 * nodemailer's pooled transport, so a burst of notifications reuses connections. Timeouts are
 * short enough for a send to finish well inside the delivery lease.
 */
export function smtpChannel(smtpUrl: string, from: string): EmailChannel {
  // Pool and timeouts go in one object with the URL: beside a URL string, nodemailer takes a second
  // argument as defaults for each message, not as transport options.
  const transport: Transporter = nodemailer.createTransport({
    url: smtpUrl,
    pool: true,
    maxConnections: 3,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  });
  return {
    async send(m) {
      await transport.sendMail({
        from,
        to: m.to,
        subject: m.subject,
        text: m.text,
        html: m.html,
        messageId: m.messageId,
        headers: { 'Auto-Submitted': 'auto-generated', 'X-Auto-Response-Suppress': 'All' },
      });
    },
    close() {
      transport.close();
    },
  };
}
