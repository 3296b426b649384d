// Temporary placeholder created by the buffer engineer; the lead replaces this file.
export {};
