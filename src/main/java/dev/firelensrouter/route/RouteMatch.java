package dev.firelensrouter.route;

import dev.firelensrouter.event.Event;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A route's compiled {@code match}: tag glob and/or regex, then {@code all}, {@code any} and {@code
 * none} conditions. An empty match takes everything.
 *
 * @param tagPatterns every pattern must match the tag (glob and tag_regex)
 */
record RouteMatch(
    List<TagPattern> tagPatterns, List<Condition> all, List<Condition> any, List<Condition> none) {
  static final RouteMatch EVERYTHING = new RouteMatch(List.of(), List.of(), List.of(), List.of());

  boolean matchesTag(String tag) {
    for (TagPattern p : tagPatterns) {
      if (!p.matches(tag)) {
        return false;
      }
    }
    return true;
  }

  /** True when the decision depends on the tag alone. */
  boolean tagOnly() {
    return all.isEmpty() && any.isEmpty() && none.isEmpty();
  }

  /** The field conditions, for a record whose tag already matched. */
  boolean matchesRecord(Event e) {
    for (Condition c : all) {
      if (!c.test(e)) {
        return false;
      }
    }
    if (!any.isEmpty()) {
      boolean found = false;
      for (Condition c : any) {
        if (c.test(e)) {
          found = true;
          break;
        }
      }
      if (!found) {
        return false;
      }
    }
    for (Condition c : none) {
      if (c.test(e)) {
        return false;
      }
    }
    return true;
  }

  /** Why this match takes or refuses the record: empty when it matches, else the reasons. */
  Optional<String> whyNot(String tag, Event e) {
    for (TagPattern p : tagPatterns) {
      if (!p.matches(tag)) {
        return Optional.of("tag '" + tag + "' does not match '" + p + "'");
      }
    }
    List<String> reasons = new ArrayList<>();
    for (Condition c : all) {
      if (!c.test(e)) {
        reasons.add("all: " + c.describe() + " failed (" + c.observed(e) + ")");
      }
    }
    if (!any.isEmpty() && any.stream().noneMatch(c -> c.test(e))) {
      List<String> each = new ArrayList<>();
      for (Condition c : any) {
        each.add(c.describe() + " (" + c.observed(e) + ")");
      }
      reasons.add("any: none held: " + String.join("; ", each));
    }
    for (Condition c : none) {
      if (c.test(e)) {
        reasons.add("none: " + c.describe() + " held (" + c.observed(e) + ")");
      }
    }
    return reasons.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", reasons));
  }
}
