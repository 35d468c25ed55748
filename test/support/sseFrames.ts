// Reading a Server-Sent Events stream as a browser's EventSource does, for the chat's tests and
// its bench: text in as it arrives, whole events out. Comments (": ping") and the `retry:` line
// carry no data and yield nothing.

export interface SseEvent {
  event: string;
  id?: string;
  data: string;
}

/** Returns a feed for decoded text; `onEvent` gets every complete event that has data. */
export function sseFrames(onEvent: (event: SseEvent) => void): (text: string) => void {
  let buffer = '';
  return (text) => {
    buffer += text;
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const event: SseEvent = { event: 'message', data: '' };
      let hasData = false;
      for (const line of block.split('\n')) {
        const colon = line.indexOf(':');
        if (colon <= 0) continue;
        const field = line.slice(0, colon);
        const value = line.slice(colon + 1).replace(/^ /, '');
        if (field === 'event') event.event = value;
        else if (field === 'id') event.id = value;
        else if (field === 'data') [event.data, hasData] = [hasData ? `${event.data}\n${value}` : value, true];
      }
      if (hasData) onEvent(event);
    }
  };
}
