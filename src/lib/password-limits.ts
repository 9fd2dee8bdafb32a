// Password length limits, apart from the strength rule so that forms which only re-enter a password stay small.
export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 128;
