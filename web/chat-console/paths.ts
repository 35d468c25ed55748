// Where the counsellor's console lives (the login sends counsellors there).
export const CHAT_CONSOLE_PATH = '/radgivare';
