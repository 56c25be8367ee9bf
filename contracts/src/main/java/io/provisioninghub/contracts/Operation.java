package io.provisioninghub.contracts;

/** The write a command asks for. */
public enum Operation {
  CREATE,
  REPLACE,
  PATCH,
  DELETE
}
