package io.provisioninghub.scim.patch;

import java.util.Set;

/**
 * Set operations on {@code scim.group_members} that a group PATCH asks for. With {@code
 * replaceAll}, first delete every member of the group, then insert {@code add}; otherwise insert
 * {@code add} and delete {@code remove}. The two sets never overlap.
 */
public record MembershipChange(Set<String> add, Set<String> remove, boolean replaceAll) {

  public MembershipChange {
    add = Set.copyOf(add);
    remove = Set.copyOf(remove);
  }

  public static MembershipChange none() {
    return new MembershipChange(Set.of(), Set.of(), false);
  }

  public boolean isEmpty() {
    return add.isEmpty() && remove.isEmpty() && !replaceAll;
  }
}
