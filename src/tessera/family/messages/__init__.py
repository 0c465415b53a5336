"""Messages between guardians and teachers, and school announcements (under /family/messages/)."""
