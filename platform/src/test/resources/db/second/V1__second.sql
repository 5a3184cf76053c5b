-- A second module's own table, to check two schemas sharing one database.
CREATE TABLE things (id text PRIMARY KEY);
