package io.provisioninghub.scim.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.unboundid.scim2.common.Path;
import com.unboundid.scim2.common.filters.Filter;
import com.unboundid.scim2.common.filters.FilterType;
import io.provisioninghub.scim.error.BadRequestException;
import io.provisioninghub.scim.error.ScimType;
import io.provisioninghub.scim.schema.AttributeDefinition;
import io.provisioninghub.scim.schema.InputRules;
import io.provisioninghub.scim.schema.ResolvedAttribute;
import io.provisioninghub.scim.schema.ResourceKind;
import io.provisioninghub.scim.schema.ResourceValidator;
import io.provisioninghub.scim.schema.ScimSchemas;
import io.provisioninghub.scim.schema.TenantSchemas;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Applies a {@link ScimPatch} to a stored document (RFC 7644 section 3.5.2), never mutating the
 * input. Choices where the RFC leaves room or clients differ:
 *
 * <ul>
 *   <li>Add/Replace on {@code emails[type eq "work"].value} with no matching value creates {@code
 *       {"type": "work", "value": ...}}; Remove with no match is a no-op (idempotent retries).
 *   <li>{@code type} stays unique in emails, phoneNumbers, ims, photos and addresses: a second
 *       value of the same type is merged into the first. Roles and entitlements are left alone
 *       (Entra sends many roles with one type). At most one value stays {@code primary}: the last.
 *   <li>A value of null or "" removes the attribute; a manager with an empty value removes the
 *       manager.
 *   <li>An extension object left empty is removed, and its URN with it from {@code schemas}.
 * </ul>
 */
public final class PatchApplier {

  private PatchApplier() {}

  /**
   * Applies {@code patch} to a stored user. The result is checked with {@link
   * ResourceValidator#validatePartial}: a patch that would store a document breaking the input
   * contract is a {@link BadRequestException}, like any other bad patch. (Whether userName is still
   * there is the caller's check.)
   */
  public static PatchResult applyToUser(ObjectNode storedUserDocument, ScimPatch patch) {
    return applyToUser(storedUserDocument, patch, TenantSchemas.NONE);
  }

  /** Like {@link #applyToUser(ObjectNode, ScimPatch)}, with the tenant's own extension schemas. */
  public static PatchResult applyToUser(
      ObjectNode storedUserDocument, ScimPatch patch, TenantSchemas tenant) {
    InputRules.checkDepth(storedUserDocument, "The stored user");
    ObjectNode doc = storedUserDocument.deepCopy();
    Set<String> changed = new LinkedHashSet<>();
    for (ScimPatch.Operation op : patch.operations()) {
      ObjectNode before = doc.deepCopy();
      String label = new Apply(ResourceKind.USER, doc, op, tenant).run();
      if (!before.equals(doc)) {
        changed.add(label);
      }
    }
    ResourceValidator.validatePartial(ResourceKind.USER, doc, tenant);
    return new PatchResult(doc, changed);
  }

  /** Like {@link #applyToUser}, for a group; member changes are returned, not applied. */
  public static GroupPatchResult applyToGroup(ObjectNode storedGroupDocument, ScimPatch patch) {
    return applyToGroup(storedGroupDocument, patch, TenantSchemas.NONE);
  }

  /** Like {@link #applyToGroup(ObjectNode, ScimPatch)}, with the tenant's own extension schemas. */
  public static GroupPatchResult applyToGroup(
      ObjectNode storedGroupDocument, ScimPatch patch, TenantSchemas tenant) {
    InputRules.checkDepth(storedGroupDocument, "The stored group");
    ObjectNode doc = storedGroupDocument.deepCopy();
    doc.remove("members");
    Set<String> changed = new LinkedHashSet<>();
    Set<String> add = new LinkedHashSet<>();
    Set<String> remove = new LinkedHashSet<>();
    boolean replaceAll = false;
    for (ScimPatch.Operation op : patch.operations()) {
      if (targetsMembers(op)) {
        Path.Element element = op.parsedPath().getElement(0);
        if (op.parsedPath().size() > 1) {
          // A member's value, type and $ref are immutable and its display read-only, as /Schemas
          // says: a path into one is a mutability error; an undeclared sub-attribute a bad path.
          String sub = op.parsedPath().getElement(1).getAttribute();
          boolean declared =
              ScimSchemas.find(ResourceKind.GROUP, "members." + sub)
                  .filter(a -> a.mutability() != AttributeDefinition.Mutability.READ_WRITE)
                  .isPresent();
          throw new BadRequestException(
              declared ? ScimType.mutability : ScimType.invalidPath,
              declared
                  ? "'members."
                      + sub
                      + "' cannot be changed: members are changed as a whole, with"
                      + " path 'members'"
                  : "Members are changed as a whole: use path 'members'");
        }
        Filter filter = element.getValueFilter();
        Set<String> ids;
        switch (op.op()) {
          case ADD -> {
            if (filter != null) {
              throw new BadRequestException(
                  ScimType.invalidPath, "Add members with path 'members' and a value array");
            }
            ids = memberIds(op.value());
            add.addAll(ids);
            remove.removeAll(ids);
          }
          case REPLACE -> {
            if (filter != null) {
              throw new BadRequestException(
                  ScimType.invalidPath, "Replace members with path 'members' and a value array");
            }
            ids = memberIds(op.value());
            replaceAll = true;
            add.clear();
            remove.clear();
            add.addAll(ids);
          }
          case REMOVE -> {
            if (filter != null) {
              ids = memberIdsFromFilter(filter);
            } else if (op.value() != null) {
              ids = memberIds(op.value());
            } else {
              replaceAll = true;
              add.clear();
              remove.clear();
              ids = Set.of();
            }
            add.removeAll(ids);
            if (!replaceAll) {
              remove.addAll(ids);
            }
          }
          default -> throw new IllegalStateException();
        }
        continue;
      }
      ObjectNode before = doc.deepCopy();
      String label = new Apply(ResourceKind.GROUP, doc, op, tenant).run();
      if (!before.equals(doc)) {
        changed.add(label);
      }
    }
    MembershipChange membership = new MembershipChange(add, remove, replaceAll);
    if (!membership.isEmpty()) {
      changed.add("members");
    }
    ResourceValidator.validatePartial(ResourceKind.GROUP, doc, tenant);
    return new GroupPatchResult(doc, changed, membership);
  }

  /**
   * Checks {@code patch} against the schema without a stored document, as the gateway does before
   * publishing it: every path resolves (400 invalidPath), targets nothing read-only (400
   * mutability), and every value has its attribute's type (400 invalidValue). It applies the patch
   * to a document holding only {@code resourceId}, with the same code the processor runs, so the
   * two cannot disagree about what is valid. What depends on stored data (a userName removed, a
   * member that does not exist) is left to the processor.
   */
  public static void check(ResourceKind kind, String resourceId, ScimPatch patch) {
    check(kind, resourceId, patch, TenantSchemas.NONE);
  }

  /** Like {@link #check(ResourceKind, String, ScimPatch)}, with the tenant's own schemas. */
  public static void check(
      ResourceKind kind, String resourceId, ScimPatch patch, TenantSchemas tenant) {
    checked(kind, resourceId, patch, tenant);
  }

  /**
   * Like {@link #check(ResourceKind, String, ScimPatch, TenantSchemas)}, and returns the document
   * the patch makes of one holding only {@code resourceId}: the values it sets (members aside).
   */
  public static ObjectNode checked(
      ResourceKind kind, String resourceId, ScimPatch patch, TenantSchemas tenant) {
    ObjectNode skeleton = Values.JSON.objectNode();
    skeleton.putArray("schemas").add(kind.coreSchema());
    skeleton.put("id", resourceId);
    return kind == ResourceKind.USER
        ? applyToUser(skeleton, patch, tenant).document()
        : applyToGroup(skeleton, patch, tenant).document();
  }

  private static boolean targetsMembers(ScimPatch.Operation op) {
    Path path = op.parsedPath();
    if (path == null || path.size() == 0) {
      return false;
    }
    String urn = path.getSchemaUrn();
    return (urn == null || urn.equalsIgnoreCase(ScimSchemas.CORE_GROUP))
        && path.getElement(0).getAttribute().equalsIgnoreCase("members");
  }

  private static Set<String> memberIds(JsonNode value) {
    Set<String> ids = new LinkedHashSet<>();
    if (value == null || value.isNull()) {
      return ids;
    }
    List<JsonNode> elements = new ArrayList<>();
    if (value.isArray()) {
      value.forEach(elements::add);
    } else {
      elements.add(value);
    }
    for (JsonNode element : elements) {
      JsonNode id = element.isObject() ? PatchParser.field(element, "value") : null;
      if (id == null || !id.isTextual()) {
        throw new BadRequestException(
            ScimType.invalidValue, "Each member must be an object with a string 'value'");
      }
      ids.add(memberId(id.textValue()));
    }
    return ids;
  }

  private static String memberId(String text) {
    try {
      if (text.strip().length() == 36) {
        return UUID.fromString(text.strip()).toString();
      }
    } catch (IllegalArgumentException e) {
      // fall through
    }
    throw new BadRequestException(ScimType.invalidValue, "'" + text + "' is not a member id");
  }

  /** {@code members[value eq "a"]}, or several such tests joined with {@code or}. */
  private static Set<String> memberIdsFromFilter(Filter filter) {
    Set<String> ids = new LinkedHashSet<>();
    if (filter.getFilterType() == FilterType.OR) {
      for (Filter f : filter.getCombinedFilters()) {
        ids.addAll(memberIdsFromFilter(f));
      }
      return ids;
    }
    if (filter.getFilterType() == FilterType.EQUAL
        && filter.getAttributePath().size() == 1
        && filter.getAttributePath().getElement(0).getAttribute().equalsIgnoreCase("value")
        && filter.getComparisonValue().isTextual()) {
      ids.add(memberId(filter.getComparisonValue().textValue()));
      return ids;
    }
    throw new BadRequestException(
        ScimType.invalidPath, "Remove members with members[value eq \"id\"]");
  }

  /** One operation against one document. */
  private static final class Apply {
    private final ResourceKind kind;
    private final ObjectNode doc;
    private final ScimPatch.Operation op;
    private final TenantSchemas tenant;

    Apply(ResourceKind kind, ObjectNode doc, ScimPatch.Operation op, TenantSchemas tenant) {
      this.kind = kind;
      this.doc = doc;
      this.op = op;
      this.tenant = tenant;
    }

    /** Applies the operation and returns the attribute path to report as changed. */
    String run() {
      Path path = op.parsedPath();
      if (path == null) {
        refuseForeignSchema(op.path());
        return wholeExtension(op.path());
      }
      String urn = path.getSchemaUrn();
      if (urn != null) {
        refuseForeignSchema(urn);
      }
      Path.Element first = path.getElement(0);
      Path.Element second = path.size() > 1 ? path.getElement(1) : null;
      if (second != null && second.getValueFilter() != null) {
        throw invalidPath("a filter may only follow the first attribute");
      }
      String schema = kind.coreSchema();
      if (urn != null) {
        var known = ScimSchemas.knownSchemaUrn(kind, urn, tenant);
        if (known.isEmpty()) {
          if (tenant.strict()) {
            throw invalidPath(urn + " is not an extension schema declared for this tenant");
          }
          return customExtension(urn, first, second);
        }
        schema = known.get();
      }
      String rest = first.getAttribute() + (second != null ? "." + second.getAttribute() : "");
      var resolved = ScimSchemas.resolveIn(kind, schema, rest, tenant);
      if (resolved.isEmpty() && tenant.schema(schema).isPresent() && !tenant.strict()) {
        // Not declared in the tenant's schema: stored as sent, like an undeclared extension.
        return customExtension(schema, first, second);
      }
      ResolvedAttribute attr = resolved.orElseThrow(() -> invalidPath("unknown attribute"));
      if (isUnchangedId(attr)) {
        return "id";
      }
      if (attr.attribute().isReadOnly() || attr.leaf().isReadOnly()) {
        throw new BadRequestException(
            ScimType.mutability, "'" + attr.canonicalPath() + "' is read-only");
      }
      if (attr.attribute().mutability() == AttributeDefinition.Mutability.IMMUTABLE
          || attr.leaf().mutability() == AttributeDefinition.Mutability.IMMUTABLE) {
        throw new BadRequestException(
            ScimType.mutability, "'" + attr.canonicalPath() + "' cannot be changed");
      }
      if (first.getValueFilter() != null) {
        checkFilter(first.getValueFilter(), attr.attribute());
      }
      boolean extension = attr.isExtension();
      ObjectNode container = extension ? extensionObject(attr.schemaUrn()) : doc;
      if (container != null) {
        applyTo(container, attr, first.getValueFilter());
      }
      if (extension) {
        tidyExtension(attr.schemaUrn());
      }
      return attr.canonicalPath();
    }

    /** A URN of a schema we serve for the other resource type is no extension of this one. */
    private void refuseForeignSchema(String urn) {
      for (ResourceKind other : ResourceKind.values()) {
        if (other != kind && ScimSchemas.knownSchemaUrn(other, urn, tenant).isPresent()) {
          throw invalidPath(urn + " is a schema of " + other.resourceTypeName() + " resources");
        }
      }
    }

    /**
     * Every attribute a value filter tests is a sub-attribute of the filtered one, whether or not
     * any element is there to test (so the answer never depends on the stored data).
     */
    private void checkFilter(Filter filter, AttributeDefinition top) {
      if (!top.isComplex() || !top.multiValued()) {
        return; // refused with its own message in applyTo
      }
      java.util.Deque<Filter> work = new java.util.ArrayDeque<>();
      work.push(filter);
      while (!work.isEmpty()) {
        Filter f = work.pop();
        switch (f.getFilterType()) {
          case AND, OR -> f.getCombinedFilters().forEach(work::push);
          case NOT -> work.push(f.getInvertedFilter());
          case COMPLEX_VALUE -> throw invalidPath("value filters cannot be nested");
          default -> {
            Path p = f.getAttributePath();
            boolean known =
                p != null
                    && p.size() == 1
                    && p.getSchemaUrn() == null
                    && p.getElement(0).getValueFilter() == null
                    && top.subAttribute(p.getElement(0).getAttribute()).isPresent();
            if (!known) {
              throw invalidPath("'" + p + "' is not a sub-attribute of " + top.name());
            }
          }
        }
      }
    }

    private boolean isUnchangedId(ResolvedAttribute attr) {
      // Okta repeats the id in a no-path replace; that is not an attempt to change it.
      return attr.canonicalPath().equals("id")
          && op.op() != ScimPatch.Op.REMOVE
          && op.value() != null
          && op.value().equals(doc.get("id"));
    }

    private ObjectNode extensionObject(String urn) {
      JsonNode existing = doc.get(urn);
      if (existing != null && existing.isObject()) {
        return (ObjectNode) existing;
      }
      if (op.op() == ScimPatch.Op.REMOVE) {
        return null;
      }
      ObjectNode created = doc.putObject(urn);
      addSchema(urn);
      return created;
    }

    private void tidyExtension(String urn) {
      JsonNode ext = doc.get(urn);
      if (ext != null && ext.isObject() && ext.isEmpty()) {
        doc.remove(urn);
        removeSchema(urn);
      } else if (ext != null) {
        addSchema(urn);
      }
    }

    private void addSchema(String urn) {
      ArrayNode schemas = schemasArray();
      for (JsonNode s : schemas) {
        if (s.asText().equalsIgnoreCase(urn)) {
          return;
        }
      }
      schemas.add(urn);
    }

    private void removeSchema(String urn) {
      ArrayNode schemas = schemasArray();
      for (int i = schemas.size() - 1; i >= 0; i--) {
        if (schemas.get(i).asText().equalsIgnoreCase(urn)) {
          schemas.remove(i);
        }
      }
    }

    private ArrayNode schemasArray() {
      JsonNode s = doc.get("schemas");
      if (s instanceof ArrayNode a) {
        return a;
      }
      ArrayNode a = doc.putArray("schemas");
      a.add(kind.coreSchema());
      return a;
    }

    /** The path is a whole extension URN: its value is an object of that schema's attributes. */
    private String wholeExtension(String urnText) {
      var knownUrn = ScimSchemas.knownSchemaUrn(kind, urnText, tenant);
      if (knownUrn.isEmpty() && tenant.strict()) {
        throw invalidPath(urnText + " is not an extension schema declared for this tenant");
      }
      boolean known = knownUrn.isPresent();
      String urn = knownUrn.orElse(urnText);
      if (op.op() == ScimPatch.Op.REMOVE) {
        doc.remove(urn);
        removeSchema(urn);
        return urn;
      }
      JsonNode value = op.value();
      if (value != null && !value.isObject()) {
        throw new BadRequestException(ScimType.invalidValue, "'" + urn + "' must be an object");
      }
      if (op.op() == ScimPatch.Op.REPLACE) {
        doc.remove(urn);
      }
      if (value != null) {
        Iterator<Map.Entry<String, JsonNode>> it = value.fields();
        while (it.hasNext()) {
          Map.Entry<String, JsonNode> e = it.next();
          String path = urn + ":" + e.getKey();
          ScimPatch.Operation sub =
              new ScimPatch.Operation(op.op(), path, PatchParser.parsePath(path), e.getValue());
          if (known) {
            new Apply(kind, doc, sub, tenant).run();
          } else {
            new Apply(kind, doc, sub, tenant)
                .customExtension(urn, sub.parsedPath().getElement(0), null);
          }
        }
      }
      tidyExtension(urn);
      return urn;
    }

    /**
     * An extension schema we do not describe (Entra custom attributes): stored as sent under its
     * URN, without type checks.
     */
    String customExtension(String urn, Path.Element first, Path.Element second) {
      if (first.getValueFilter() != null) {
        throw invalidPath("filters are not supported on attributes of " + urn);
      }
      // Attribute names are case-insensitive: a later spelling replaces an earlier one.
      renameToCanonical(doc, urn);
      JsonNode existing = doc.get(urn);
      ObjectNode container;
      if (existing != null && existing.isObject()) {
        container = (ObjectNode) existing;
      } else if (op.op() == ScimPatch.Op.REMOVE) {
        return urn + ":" + first.getAttribute();
      } else {
        container = doc.putObject(urn);
      }
      String name = first.getAttribute();
      ObjectNode target = container;
      String key = name;
      renameToCanonical(container, name);
      if (second != null) {
        JsonNode parent = container.get(name);
        if (!(parent instanceof ObjectNode)) {
          if (op.op() == ScimPatch.Op.REMOVE) {
            return urn + ":" + name;
          }
          parent = container.putObject(name);
        }
        target = (ObjectNode) parent;
        key = second.getAttribute();
        renameToCanonical(target, key);
      }
      JsonNode value = op.op() == ScimPatch.Op.REMOVE ? null : Values.dropNulls(op.value());
      boolean clears = value == null || (value.isTextual() && value.textValue().isEmpty());
      if (clears) {
        target.remove(key);
      } else {
        target.set(key, value);
      }
      if (second != null && target.isEmpty()) {
        container.remove(name);
      }
      tidyExtension(urn);
      return urn + ":" + name + (second != null ? "." + key : "");
    }

    private void applyTo(ObjectNode container, ResolvedAttribute attr, Filter filter) {
      AttributeDefinition top = attr.attribute();
      AttributeDefinition sub = attr.subAttribute();
      String name = top.name();
      renameToCanonical(container, name);
      if (filter != null) {
        if (!top.multiValued() || !top.isComplex()) {
          throw invalidPath("'" + name + "' is not multi-valued; it takes no [filter]");
        }
        applyFiltered(container, top, sub, filter);
        return;
      }
      if (sub == null) {
        applyWhole(container, top);
        return;
      }
      if (top.multiValued()) {
        applyToEverySub(container, top, sub);
        return;
      }
      // name.givenName, manager.value
      JsonNode value = valueFor(sub);
      JsonNode parent = container.get(name);
      if (op.op() == ScimPatch.Op.REMOVE || value == null) {
        if (parent instanceof ObjectNode p) {
          removeKey(p, sub.name());
          if (p.isEmpty() || (name.equals("manager") && !p.hasNonNull("value"))) {
            container.remove(name);
          }
        }
        return;
      }
      ObjectNode p = parent instanceof ObjectNode o ? o : container.putObject(name);
      renameToCanonical(p, sub.name());
      p.set(sub.name(), value);
    }

    private void applyWhole(ObjectNode container, AttributeDefinition top) {
      String name = top.name();
      if (op.op() == ScimPatch.Op.REMOVE) {
        if (top.multiValued() && op.value() != null && op.value().isArray()) {
          removeListedValues(container, top);
        } else {
          container.remove(name);
        }
        return;
      }
      JsonNode value = Values.coerce(op.value(), top, name);
      if (value == null
          || (value.isArray() && value.isEmpty() && op.op() == ScimPatch.Op.REPLACE)) {
        container.remove(name);
        return;
      }
      if (op.op() == ScimPatch.Op.REPLACE || !container.has(name)) {
        if (top.multiValued()) {
          ArrayNode merged = Values.JSON.arrayNode();
          for (JsonNode element : value) {
            mergeElement(merged, top, (ObjectNode) element);
          }
          container.set(name, merged);
          normalizeArray(container, top);
        } else {
          container.set(name, value);
        }
        return;
      }
      // Add to an existing value.
      if (top.multiValued()) {
        ArrayNode array = arrayOf(container, name);
        for (JsonNode element : value) {
          mergeElement(array, top, (ObjectNode) element);
        }
        normalizeArray(container, top);
      } else if (top.isComplex() && container.get(name) instanceof ObjectNode existing) {
        existing.setAll((ObjectNode) value);
      } else {
        container.set(name, value);
      }
    }

    /** Remove with a value array: drop the listed values (matched on their "value"). */
    private void removeListedValues(ObjectNode container, AttributeDefinition top) {
      JsonNode existing = container.get(top.name());
      if (!(existing instanceof ArrayNode array)) {
        return;
      }
      for (JsonNode listed : op.value()) {
        JsonNode v = listed.isObject() ? PatchParser.field(listed, "value") : listed;
        for (int i = array.size() - 1; i >= 0; i--) {
          JsonNode current = array.get(i).get("value");
          if (v != null && current != null && current.asText().equalsIgnoreCase(v.asText())) {
            array.remove(i);
          }
        }
      }
      normalizeArray(container, top);
    }

    private void applyToEverySub(
        ObjectNode container, AttributeDefinition top, AttributeDefinition sub) {
      JsonNode value = valueFor(sub);
      ArrayNode array = arrayOf(container, top.name());
      if (op.op() != ScimPatch.Op.REMOVE && value != null && array.isEmpty()) {
        ObjectNode element = array.addObject();
        element.set(sub.name(), value);
      } else {
        for (JsonNode element : array) {
          if (element instanceof ObjectNode o) {
            setOrRemove(o, sub, value);
          }
        }
      }
      normalizeArray(container, top);
    }

    private void applyFiltered(
        ObjectNode container, AttributeDefinition top, AttributeDefinition sub, Filter filter) {
      ArrayNode array = arrayOf(container, top.name());
      List<ObjectNode> matches = new ArrayList<>();
      for (JsonNode element : array) {
        if (element instanceof ObjectNode o && ElementFilter.matches(filter, o, top)) {
          matches.add(o);
        }
      }
      JsonNode value =
          op.op() == ScimPatch.Op.REMOVE
              ? null
              : sub != null ? valueFor(sub) : Values.coerceSingle(op.value(), top, top.name());
      boolean removing = op.op() == ScimPatch.Op.REMOVE || value == null;
      if (removing) {
        for (ObjectNode m : matches) {
          if (sub == null) {
            removeIdentity(array, m);
          } else {
            removeKey(m, sub.name());
            if (top.subAttribute("value").isPresent() && !m.hasNonNull("value")) {
              removeIdentity(array, m);
            }
          }
        }
      } else if (matches.isEmpty()) {
        // emails[type eq "work"].value with no work email yet: create it.
        ObjectNode created = ElementFilter.impliedValues(filter, top);
        if (sub == null) {
          created.setAll((ObjectNode) value);
        } else {
          created.set(sub.name(), value);
        }
        mergeElement(array, top, created);
      } else {
        for (ObjectNode m : matches) {
          if (sub != null) {
            m.set(sub.name(), value);
          } else if (op.op() == ScimPatch.Op.REPLACE) {
            ObjectNode implied = ElementFilter.impliedValues(filter, top);
            m.removeAll();
            m.setAll(implied);
            m.setAll((ObjectNode) value);
          } else {
            m.setAll((ObjectNode) value);
          }
        }
      }
      normalizeArray(container, top);
    }

    private JsonNode valueFor(AttributeDefinition sub) {
      if (op.op() == ScimPatch.Op.REMOVE) {
        return null;
      }
      return Values.coerceSingle(op.value(), sub, op.path());
    }

    private void setOrRemove(ObjectNode element, AttributeDefinition sub, JsonNode value) {
      if (value == null) {
        removeKey(element, sub.name());
      } else {
        element.set(sub.name(), value);
      }
    }

    /**
     * Adds {@code element}, merging it into an existing value of the same type (for attributes
     * whose type is a fixed vocabulary) and skipping exact duplicates.
     */
    private void mergeElement(ArrayNode array, AttributeDefinition top, ObjectNode element) {
      for (JsonNode existing : array) {
        if (existing.equals(element)) {
          return;
        }
      }
      if (hasUniqueType(top) && element.hasNonNull("type")) {
        String type = element.get("type").asText();
        for (JsonNode existing : array) {
          if (existing instanceof ObjectNode o
              && o.hasNonNull("type")
              && o.get("type").asText().equalsIgnoreCase(type)) {
            o.setAll(element);
            return;
          }
        }
      }
      array.add(element);
    }

    /** Type uniqueness, single primary, no empty elements, no empty array. */
    private void normalizeArray(ObjectNode container, AttributeDefinition top) {
      JsonNode node = container.get(top.name());
      if (!(node instanceof ArrayNode array)) {
        return;
      }
      ArrayNode out = Values.JSON.arrayNode();
      for (JsonNode element : array) {
        if (element instanceof ObjectNode o && !o.isEmpty()) {
          mergeElement(out, top, o);
        }
      }
      int lastPrimary = -1;
      for (int i = 0; i < out.size(); i++) {
        if (out.get(i).path("primary").asBoolean(false)) {
          lastPrimary = i;
        }
      }
      for (int i = 0; i < out.size(); i++) {
        if (i != lastPrimary && out.get(i).path("primary").asBoolean(false)) {
          ((ObjectNode) out.get(i)).put("primary", false);
        }
      }
      if (out.isEmpty()) {
        container.remove(top.name());
      } else {
        container.set(top.name(), out);
      }
    }

    private boolean hasUniqueType(AttributeDefinition top) {
      return top.subAttribute("type").map(t -> !t.canonicalValues().isEmpty()).orElse(false);
    }

    private ArrayNode arrayOf(ObjectNode container, String name) {
      JsonNode node = container.get(name);
      if (node instanceof ArrayNode a) {
        return a;
      }
      return container.putArray(name);
    }

    private BadRequestException invalidPath(String why) {
      return new BadRequestException(
          ScimType.invalidPath, "Invalid path '" + op.path() + "': " + why);
    }
  }

  private static void removeIdentity(ArrayNode array, JsonNode element) {
    for (int i = 0; i < array.size(); i++) {
      if (array.get(i) == element) {
        array.remove(i);
        return;
      }
    }
  }

  /** Removes a key case-insensitively (stored documents use the schema's spelling). */
  private static void removeKey(ObjectNode node, String name) {
    List<String> keys = Values.fieldNames(node);
    for (String k : keys) {
      if (k.equalsIgnoreCase(name)) {
        node.remove(k);
      }
    }
  }

  /** If the document holds {@code name} under another spelling, move it to the schema's. */
  static void renameToCanonical(ObjectNode node, String name) {
    for (String k : Values.fieldNames(node)) {
      if (!k.equals(name) && k.equalsIgnoreCase(name)) {
        JsonNode v = node.remove(k);
        if (!node.has(name)) {
          node.set(name, v);
        }
      }
    }
  }

  static String lower(String s) {
    return s.toLowerCase(Locale.ROOT);
  }
}
