package io.provisioninghub.audit.error;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The JSON body of every 4xx/5xx answer of the support API. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApiError(int status, String error, String detail, String parameter) {}
