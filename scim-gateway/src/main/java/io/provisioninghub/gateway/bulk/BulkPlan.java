package io.provisioninghub.gateway.bulk;

import io.provisioninghub.scim.error.ScimType;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The order a bulk request's operations may run in. An operation waits for every operation whose
 * {@code bulkId} it references (and fails if that one failed), and for the operation before it on
 * the same resource (RFC 7644 section 3.7: an optimised order must reach the same result as the
 * client's order). A reference to a bulkId no POST of the request carries is a 400; operations that
 * reference each other in a circle are a 409 (the RFC allows the 409 instead of resolving the
 * circle); neither is ever sent.
 */
final class BulkPlan {

  /** What an operation waits for: {@code references} must succeed, {@code after} only finish. */
  record Node(BulkOperation operation, List<Integer> references, List<Integer> after) {}

  private final List<Node> nodes;

  private BulkPlan(List<Node> nodes) {
    this.nodes = nodes;
  }

  List<Node> nodes() {
    return nodes;
  }

  static BulkPlan of(List<BulkOperation> read) {
    List<BulkOperation> ops = new ArrayList<>(read);
    Map<String, Integer> posts = new HashMap<>();
    for (int i = 0; i < ops.size(); i++) {
      BulkOperation op = ops.get(i);
      if (op.invalid() != null || op.bulkId() == null) {
        continue;
      }
      Integer first = posts.get(op.bulkId());
      if (first != null) {
        ops.set(
            i,
            op.refused(
                new BulkOperationException(
                    400,
                    ScimType.invalidValue,
                    "operation "
                        + i
                        + ": bulkId '"
                        + op.bulkId()
                        + "' is used by operation "
                        + first
                        + " already")));
      } else if (op.method().equals("POST")) {
        posts.put(op.bulkId(), i);
      }
    }
    List<List<Integer>> references = new ArrayList<>();
    List<List<Integer>> after = new ArrayList<>();
    Map<String, Integer> lastOnTarget = new HashMap<>();
    for (int i = 0; i < ops.size(); i++) {
      BulkOperation op = ops.get(i);
      List<Integer> refs = new ArrayList<>();
      List<Integer> before = new ArrayList<>();
      references.add(refs);
      after.add(before);
      if (op.invalid() != null) {
        continue;
      }
      for (String bulkId : op.references()) {
        Integer target = posts.get(bulkId);
        if (target == null) {
          ops.set(
              i,
              op.refused(
                  new BulkOperationException(
                      400,
                      ScimType.invalidValue,
                      "operation "
                          + i
                          + " references bulkId '"
                          + bulkId
                          + "', which no POST of this request carries")));
          refs.clear();
          break;
        }
        refs.add(target);
      }
      if (ops.get(i).invalid() != null) {
        continue;
      }
      String target =
          op.method().equals("POST")
              ? op.kind() + "/" + BulkOperation.REFERENCE + op.bulkId()
              : op.target();
      Integer previous = lastOnTarget.put(target, i);
      if (previous != null) {
        before.add(previous);
      }
    }
    refuseCircles(ops, references, after);
    List<Node> nodes = new ArrayList<>();
    for (int i = 0; i < ops.size(); i++) {
      nodes.add(new Node(ops.get(i), List.copyOf(references.get(i)), List.copyOf(after.get(i))));
    }
    return new BulkPlan(nodes);
  }

  /**
   * Tarjan's strongly connected components over both kinds of edge: every operation on a circle (or
   * referencing its own bulkId) is refused with 409, and its edges dropped so that it can be
   * answered at once.
   */
  private static void refuseCircles(
      List<BulkOperation> ops, List<List<Integer>> references, List<List<Integer>> after) {
    int n = ops.size();
    int[] index = new int[n];
    int[] low = new int[n];
    boolean[] onStack = new boolean[n];
    java.util.Arrays.fill(index, -1);
    Deque<Integer> stack = new ArrayDeque<>();
    int[] counter = {0};
    List<List<Integer>> circles = new ArrayList<>();
    for (int v = 0; v < n; v++) {
      if (index[v] < 0) {
        strongConnect(v, references, after, index, low, onStack, stack, counter, circles);
      }
    }
    for (List<Integer> circle : circles) {
      StringBuilder ids = new StringBuilder();
      for (int v : circle) {
        String id = ops.get(v).bulkId();
        ids.append(ids.length() == 0 ? "" : ", ").append(id == null ? "operation " + v : id);
      }
      for (int v : circle) {
        ops.set(
            v,
            ops.get(v)
                .refused(
                    new BulkOperationException(
                        409,
                        null,
                        "operation "
                            + v
                            + " is part of a circle of bulkId references ("
                            + ids
                            + "); send the references in a later request or a PATCH")));
        references.get(v).clear();
        after.get(v).clear();
      }
    }
  }

  // Recursive: a bulk request has at most bulk.maxOperations operations.
  private static void strongConnect(
      int v,
      List<List<Integer>> references,
      List<List<Integer>> after,
      int[] index,
      int[] low,
      boolean[] onStack,
      Deque<Integer> stack,
      int[] counter,
      List<List<Integer>> circles) {
    index[v] = counter[0];
    low[v] = counter[0];
    counter[0]++;
    stack.push(v);
    onStack[v] = true;
    List<Integer> edges = new ArrayList<>(references.get(v));
    edges.addAll(after.get(v));
    boolean selfLoop = false;
    for (int w : edges) {
      if (w == v) {
        selfLoop = true;
      } else if (index[w] < 0) {
        strongConnect(w, references, after, index, low, onStack, stack, counter, circles);
        low[v] = Math.min(low[v], low[w]);
      } else if (onStack[w]) {
        low[v] = Math.min(low[v], index[w]);
      }
    }
    if (low[v] == index[v]) {
      List<Integer> component = new ArrayList<>();
      int w;
      do {
        w = stack.pop();
        onStack[w] = false;
        component.add(w);
      } while (w != v);
      if (component.size() > 1 || selfLoop) {
        component.sort(null);
        circles.add(component);
      }
    }
  }
}
