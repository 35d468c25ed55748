// The facts of the accessibility statement (R1.4, the DOS law, in the structure Digg prescribes):
// how far the service complies, what it lacks, how to reach us, and when and how it was assessed.
// The words are in the translation files (about.accessibility.*); update the dates with each review.
export const ACCESSIBILITY_STATEMENT = {
  /** Digg's three levels: helt, delvis or inte förenlig med lagen. */
  compliance: 'partial' as 'full' | 'partial' | 'none',
  /** Known shortcomings, each about.accessibility.gaps.<key>.{title,text}, with the WCAG 2.1 criteria. */
  gaps: [{ key: 'pdf', criteria: ['1.3.1'] }],
  /** The last self-assessment, and the last update of this statement. */
  assessedOn: '2026-12-07',
  updatedOn: '2026-12-07',
  /** Working days within which we answer a report. */
  answerWithinDays: 5,
  /** Digg's form for reporting a public body's digital service (tillsyn). */
  complaintUrl: 'https://www.digg.se/tdosanmalan',
} as const;

/** Where a person reaches Komet: reports about accessibility, their personal data, other questions. */
export const KOMET_CONTACT = {
  email: 'komet@stockholm.se',
  phone: '08-508 00 508',
} as const;

/** The Swedish data protection authority, for complaints about the processing of personal data. */
export const IMY_URL = 'https://www.imy.se';
