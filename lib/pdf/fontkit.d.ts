// The part of fontkit 2 (pdfkit's font engine, no types of its own) that lib/pdf uses.
declare module 'fontkit' {
  export interface Glyph {
    id: number;
    name: string;
    codePoints: number[];
    advanceWidth: number;
    path: { toSVG(): string };
  }
  export interface GlyphRun {
    glyphs: Glyph[];
    advanceWidth: number;
    direction: 'ltr' | 'rtl';
    script: string;
  }
  export interface Font {
    unitsPerEm: number;
    postscriptName: string;
    numGlyphs: number;
    hasGlyphForCodePoint(codePoint: number): boolean;
    glyphForCodePoint(codePoint: number): Glyph;
    getGlyph(id: number): Glyph;
    layout(text: string, features?: string[]): GlyphRun;
  }
  export function create(buffer: Uint8Array, postscriptName?: string): Font;
}
