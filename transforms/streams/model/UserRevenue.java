package streams.model;

import java.io.Serializable;
import java.util.Objects;

/**
 * One pane of the per-user revenue of a window: {@code {"user_id","window_start","window_end",
 * "order_count","total_amount","timing","pane_index","is_final"}}.
 */
public final class UserRevenue implements Serializable {
  private final String userId;
  private final long windowStartMillis;
  private final long windowEndMillis;
  private final long orderCount;
  private final long totalCents;
  private final String timing;
  private final long paneIndex;
  private final boolean isFinal;

  public UserRevenue(
      String userId,
      long windowStartMillis,
      long windowEndMillis,
      long orderCount,
      long totalCents,
      String timing,
      long paneIndex,
      boolean isFinal) {
    this.userId = Objects.requireNonNull(userId);
    this.windowStartMillis = windowStartMillis;
    this.windowEndMillis = windowEndMillis;
    this.orderCount = orderCount;
    this.totalCents = totalCents;
    this.timing = Objects.requireNonNull(timing);
    this.paneIndex = paneIndex;
    this.isFinal = isFinal;
  }

  public String getUserId() {
    return userId;
  }

  public long getWindowStartMillis() {
    return windowStartMillis;
  }

  public long getWindowEndMillis() {
    return windowEndMillis;
  }

  public long getOrderCount() {
    return orderCount;
  }

  public long getTotalCents() {
    return totalCents;
  }

  public String getTiming() {
    return timing;
  }

  public long getPaneIndex() {
    return paneIndex;
  }

  public boolean isFinal() {
    return isFinal;
  }

  public String toJson() {
    return Json.object()
        .put("user_id", userId)
        .put("window_start", Json.instant(windowStartMillis))
        .put("window_end", Json.instant(windowEndMillis))
        .put("order_count", orderCount)
        .put("total_amount", Json.money(totalCents))
        .put("timing", timing)
        .put("pane_index", paneIndex)
        .put("is_final", isFinal)
        .toString();
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof UserRevenue)) {
      return false;
    }
    UserRevenue that = (UserRevenue) o;
    return windowStartMillis == that.windowStartMillis
        && windowEndMillis == that.windowEndMillis
        && orderCount == that.orderCount
        && totalCents == that.totalCents
        && paneIndex == that.paneIndex
        && isFinal == that.isFinal
        && userId.equals(that.userId)
        && timing.equals(that.timing);
  }

  @Override
  public int hashCode() {
    return Objects.hash(userId, windowStartMillis, orderCount, totalCents, timing, paneIndex, isFinal);
  }

  @Override
  public String toString() {
    return toJson();
  }
}
