/**
 * The URL amqplib connects to: `url` with the `heartbeat` query parameter set
 * to `heartbeat` seconds unless the URL already names one. Credentials, vhost,
 * TLS (`amqps:`) and other parameters are kept as given.
 */
export function connectionUrl(url: string, heartbeat: number): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (error) {
    throw new TypeError(`Not a broker URL: '${url}'`, { cause: error });
  }
  if (parsed.protocol !== 'amqp:' && parsed.protocol !== 'amqps:') {
    throw new TypeError(`A broker URL must start with amqp:// or amqps://, got '${parsed.protocol}'`);
  }
  if (parsed.searchParams.has('heartbeat')) return url;
  return `${url}${url.includes('?') ? '&' : '?'}heartbeat=${heartbeat}`;
}
