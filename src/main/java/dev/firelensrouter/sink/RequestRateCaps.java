package dev.firelensrouter.sink;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The account-level request caps of {@code service.aws_requests_per_second}: one {@link
 * RequestRateCap} per AWS service ({@code logs}, {@code firehose}, {@code s3}), shared by every
 * output of that service, because AWS counts quotas such as PutLogEvents per account and Region,
 * not per output.
 */
public final class RequestRateCaps {
  public static final RequestRateCaps NONE = new RequestRateCaps(Map.of());

  private final Map<String, Double> limits;
  private final Map<String, RequestRateCap> caps = new ConcurrentHashMap<>();

  public RequestRateCaps(Map<String, Double> limits) {
    this.limits = Map.copyOf(limits);
  }

  /** The cap every output of {@code service} shares, if one is configured. */
  public Optional<RequestRateCap> forService(String service) {
    Double limit = limits.get(service);
    if (limit == null || limit <= 0) {
      return Optional.empty();
    }
    return Optional.of(caps.computeIfAbsent(service, s -> new RequestRateCap(limit, 0)));
  }
}
