package io.provisioninghub.gateway.bulk;

import io.provisioninghub.scim.error.ScimException;
import io.provisioninghub.scim.error.ScimType;

/** One operation of a bulk request refused by the bulk layer itself (shape, bulkId references). */
final class BulkOperationException extends ScimException {

  BulkOperationException(int status, ScimType scimType, String detail) {
    super(status, scimType, detail);
  }
}
