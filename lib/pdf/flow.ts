// Text that flows down A4 pages: headings, paragraphs, label/value rows and QR codes, broken into
// lines that fit and onto further pages when one is full. Positions count from the start edge,
// so a right-to-left document mirrors as a whole when it is drawn.
import type { Direction } from './bidi';
import { A4, type PdfItem } from './document';
import { wrapText } from './fonts';

export interface FlowFrame {
  /** First baseline on a page, from the top. */
  top: number;
  /** No baseline below this. */
  bottom: number;
  /** Start and end margins. */
  start: number;
  end: number;
}

export interface TextOptions {
  size?: number;
  bold?: boolean;
  /** From the start margin. */
  indent?: number;
  /** Baseline to baseline; size + 4 unless given. */
  lineHeight?: number;
}

export interface RowOptions {
  /** Where values start, from the start margin; labels wrap before it. */
  valueAt: number;
  size?: number;
  lineHeight?: number;
}

export class Flow {
  readonly pages: PdfItem[][] = [[]];
  y: number;

  constructor(
    readonly frame: FlowFrame,
    readonly dir: Direction = 'ltr',
  ) {
    this.y = frame.top;
  }

  private get page(): PdfItem[] {
    return this.pages[this.pages.length - 1];
  }

  /** Width of the text column. */
  get width(): number {
    return A4.width - this.frame.start - this.frame.end;
  }

  /** Makes room for `height` points, on a new page if this one has too little left. */
  room(height: number): void {
    if (this.y + height > this.frame.bottom && this.y > this.frame.top) {
      this.pages.push([]);
      this.y = this.frame.top;
    }
  }

  gap(points: number): void {
    this.y += points;
  }

  text(text: string, opts: TextOptions = {}): void {
    const size = opts.size ?? 10;
    const lineHeight = opts.lineHeight ?? size + 4;
    const indent = opts.indent ?? 0;
    for (const line of wrapText(text, this.width - indent, size, opts.bold ? 'bold' : 'regular', this.dir)) {
      this.room(size);
      this.page.push({ text: line, x: this.frame.start + indent, y: this.y, size, bold: opts.bold });
      this.y += lineHeight;
    }
  }

  heading(text: string, size = 13): void {
    this.room(size + 32);
    this.y += 14;
    this.text(text, { size, bold: true, lineHeight: size + 7 });
  }

  /** A bold label and its value beside it; either may take several lines. */
  row(label: string, value: string, opts: RowOptions): void {
    const size = opts.size ?? 10;
    const lineHeight = opts.lineHeight ?? size + 4;
    const labels = wrapText(label, opts.valueAt - 8, size, 'bold', this.dir);
    const values = wrapText(value || '–', this.width - opts.valueAt, size, 'regular', this.dir);
    // Keep a short row together; a long value may run onto the next page.
    this.room(lineHeight * Math.min(Math.max(labels.length, values.length), 3));
    for (let i = 0; i < Math.max(labels.length, values.length); i++) {
      this.room(size);
      if (labels[i]) this.page.push({ text: labels[i], x: this.frame.start, y: this.y, size, bold: true });
      if (values[i]) this.page.push({ text: values[i], x: this.frame.start + opts.valueAt, y: this.y, size });
      this.y += lineHeight;
    }
  }

  /** A QR code at the start margin; `y` is the text's baseline, so the code starts below it. */
  qr(value: string, size: number): void {
    this.room(size);
    this.page.push({ qr: value, x: this.frame.start, y: this.y, size });
    this.y += size;
  }

  /** Adds the same items (letterhead, page numbers) to every page, once the page count is known. */
  decorate(items: (page: number, pages: number) => PdfItem[]): PdfItem[][] {
    return this.pages.map((page, i) => [...items(i + 1, this.pages.length), ...page]);
  }
}
