package dev.tally.billing.web;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.tally.billing.BillingException;
import dev.tally.billing.ErrorCode;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads request bodies, strictly, into the flat request records of the controllers: the module's
 * one JSON reader, so every endpoint refuses the same things with the same codes.
 *
 * <p>A body is one JSON object, in valid UTF-8, whose members are the record's components (or their
 * {@link JsonAlias aliases}), each at most once. A string component takes a JSON string or null
 * (never a number: amounts are decimal strings, and {@code 0.1} as a JSON number may already have
 * been rounded by the client), a {@code Boolean} takes {@code true}, {@code false} or null, an
 * {@code Integer} or {@code Long} a whole number, a {@code List<String>} an array of strings, a
 * list of records an array of objects read the same way (members named like {@code tiers[2].upTo}
 * in errors), a {@code Map<String, String>} a flat object of string values, each key once.
 * Everything else is refused with a 400 naming the member: unknown members (a typo such as {@code
 * unitAmmount} must not be silently ignored), duplicates (which one wins differs between parsers),
 * nested values where none is expected, control characters.
 */
@Singleton
public final class JsonBodies {

    /** The most entries a list member may hold (scopes has four values). */
    static final int MAX_LIST_SIZE = 100;

    /** Member names are echoed in errors only when they are this short and plain. */
    private static final int MAX_ECHOED_NAME = 64;

    private final JsonFactory factory = JsonFactory.builder().build();

    /** {@code body} as a {@code type}; an empty body reads as an empty object. */
    public <T extends Record> T read(byte[] body, Class<T> type) {
        return parse(body, type, new boolean[type.getRecordComponents().length]);
    }

    /**
     * {@code body} as a {@code type} for a partial update, with the members the body named (with a
     * value or with null): a PATCH tells "leave it as it is" (absent) from "clear it" (null).
     */
    public <T extends Record> Partial<T> readPartial(byte[] body, Class<T> type) {
        RecordComponent[] components = type.getRecordComponents();
        boolean[] seen = new boolean[components.length];
        T request = parse(body, type, seen);
        Set<String> members = new HashSet<>();
        for (int i = 0; i < components.length; i++) {
            if (seen[i]) {
                members.add(components[i].getName());
            }
        }
        return new Partial<>(request, Set.copyOf(members));
    }

    /** A partial update's request and the members (record component names) its body named. */
    public record Partial<T>(T request, Set<String> members) {

        /** Whether the body named {@code member}, with a value or null. */
        public boolean names(String member) {
            return members.contains(member);
        }
    }

    private <T extends Record> T parse(byte[] body, Class<T> type, boolean[] seen) {
        if (body == null || isBlank(body)) {
            return construct(type, type.getRecordComponents(), new Object[type.getRecordComponents().length]);
        }
        try (JsonParser parser = factory.createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new BillingException(ErrorCode.MALFORMED_JSON, "the body must be a JSON object");
            }
            T value = object(parser, type, "", seen);
            if (parser.nextToken() != null) {
                throw new BillingException(ErrorCode.MALFORMED_JSON, "the body must be one JSON object");
            }
            return value;
        } catch (JsonProcessingException e) {
            // the parser's own message quotes the input: say only where it broke
            throw new BillingException(
                    ErrorCode.MALFORMED_JSON,
                    "the body is not valid JSON in UTF-8 (line "
                            + e.getLocation().getLineNr() + ", column "
                            + e.getLocation().getColumnNr() + ")");
        } catch (IOException e) {
            throw new BillingException(ErrorCode.MALFORMED_JSON, "the body could not be read");
        }
    }

    /** The object the parser is at the start of, as a {@code type}; members named {@code prefix + name} in errors. */
    private static <T extends Record> T object(JsonParser parser, Class<T> type, String prefix, boolean[] seen)
            throws IOException {
        RecordComponent[] components = type.getRecordComponents();
        Map<String, Integer> indexByName = names(components);
        Object[] values = new Object[components.length];
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            Integer index = indexByName.get(name);
            if (index == null) {
                throw unknown(prefix, name, indexByName);
            }
            String field = prefix + components[index].getName();
            if (seen[index]) {
                throw new BillingException(ErrorCode.DUPLICATE_FIELD, field + " is given more than once", field);
            }
            seen[index] = true;
            values[index] = value(parser, field, components[index]);
        }
        if (parser.currentToken() != JsonToken.END_OBJECT) {
            throw new BillingException(ErrorCode.MALFORMED_JSON, "the body must be one JSON object");
        }
        return construct(type, components, values);
    }

    private static Object value(JsonParser parser, String field, RecordComponent component) throws IOException {
        Class<?> type = component.getType();
        JsonToken token = parser.nextToken();
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        if (type == String.class) {
            if (token != JsonToken.VALUE_STRING) {
                throw BillingException.invalid(field, field + " must be a JSON string" + numberHint(token));
            }
            return Inputs.withoutControls(field, parser.getText());
        }
        if (type == Boolean.class) {
            if (token != JsonToken.VALUE_TRUE && token != JsonToken.VALUE_FALSE) {
                throw BillingException.invalid(field, field + " must be true or false");
            }
            return token == JsonToken.VALUE_TRUE;
        }
        if (type == Integer.class || type == Long.class) {
            // a whole number written as one: 1, not 1.0, "1" or 1e0
            if (token != JsonToken.VALUE_NUMBER_INT || parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                throw BillingException.invalid(field, field + " must be a whole number");
            }
            long number = parser.getLongValue();
            if (type == Integer.class && (number < Integer.MIN_VALUE || number > Integer.MAX_VALUE)) {
                throw BillingException.invalid(field, field + " must be at most " + Integer.MAX_VALUE);
            }
            return type == Integer.class ? (Object) (int) number : (Object) number;
        }
        if (type == List.class) {
            Class<?> element = elementType(component);
            return element.isRecord()
                    ? objects(parser, field, token, element.asSubclass(Record.class))
                    : strings(parser, field, token);
        }
        if (type == Map.class) {
            return stringMap(parser, field, token);
        }
        throw new IllegalStateException("no JSON reading for " + type + " of " + field);
    }

    private static Class<?> elementType(RecordComponent component) {
        if (component.getGenericType() instanceof ParameterizedType list
                && list.getActualTypeArguments()[0] instanceof Class<?> element) {
            return element;
        }
        return String.class;
    }

    private static List<Record> objects(JsonParser parser, String field, JsonToken token, Class<? extends Record> type)
            throws IOException {
        if (token != JsonToken.START_ARRAY) {
            throw BillingException.invalid(field, field + " must be an array of objects");
        }
        List<Record> list = new ArrayList<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            String element = field + "[" + list.size() + "]";
            if (parser.currentToken() != JsonToken.START_OBJECT) {
                throw BillingException.invalid(element, element + " must be an object");
            }
            if (list.size() == MAX_LIST_SIZE) {
                throw BillingException.invalid(field, field + " must hold at most " + MAX_LIST_SIZE + " entries");
            }
            list.add(object(parser, type, element + ".", new boolean[type.getRecordComponents().length]));
        }
        return List.copyOf(list);
    }

    private static String numberHint(JsonToken token) {
        return token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT
                ? " (decimal amounts are written as strings, like \"0.25\")"
                : "";
    }

    private static List<String> strings(JsonParser parser, String field, JsonToken token) throws IOException {
        if (token != JsonToken.START_ARRAY) {
            throw BillingException.invalid(field, field + " must be an array of strings");
        }
        List<String> list = new ArrayList<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            if (parser.currentToken() != JsonToken.VALUE_STRING) {
                throw BillingException.invalid(
                        field, field + " must be an array of strings (no null, no other values)");
            }
            if (list.size() == MAX_LIST_SIZE) {
                throw BillingException.invalid(field, field + " must hold at most " + MAX_LIST_SIZE + " entries");
            }
            list.add(Inputs.withoutControls(field, parser.getText()));
        }
        return List.copyOf(list);
    }

    private static Map<String, String> stringMap(JsonParser parser, String field, JsonToken token) throws IOException {
        if (token != JsonToken.START_OBJECT) {
            throw BillingException.invalid(field, field + " must be a JSON object whose values are strings");
        }
        Map<String, String> map = new LinkedHashMap<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String key = Inputs.withoutControls(field, parser.currentName());
            if (map.size() == MAX_LIST_SIZE) {
                throw BillingException.invalid(field, field + " holds more than " + MAX_LIST_SIZE + " entries");
            }
            if (parser.nextToken() != JsonToken.VALUE_STRING) {
                throw BillingException.invalid(field, field + " must be a JSON object whose values are strings");
            }
            if (map.putIfAbsent(key, Inputs.withoutControls(field, parser.getText())) != null) {
                throw new BillingException(ErrorCode.DUPLICATE_FIELD, field + " gives one key more than once", field);
            }
        }
        return map;
    }

    private static BillingException unknown(String prefix, String name, Map<String, Integer> indexByName) {
        boolean plain = name.length() <= MAX_ECHOED_NAME && name.chars().allMatch(c -> c > ' ' && c < 127);
        List<String> known = indexByName.keySet().stream().sorted().toList();
        return new BillingException(
                ErrorCode.UNKNOWN_FIELD,
                (plain ? prefix + name : "a member") + " is not a member of this body; known: " + known,
                plain ? prefix + name : null);
    }

    private static Map<String, Integer> names(RecordComponent[] components) {
        Map<String, Integer> names = new HashMap<>();
        for (int i = 0; i < components.length; i++) {
            names.put(components[i].getName(), i);
            JsonAlias alias = components[i].getAccessor().getAnnotation(JsonAlias.class);
            if (alias != null) {
                for (String other : alias.value()) {
                    names.put(other, i);
                }
            }
        }
        return names;
    }

    private static <T extends Record> T construct(Class<T> type, RecordComponent[] components, Object[] values) {
        Class<?>[] types =
                Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new);
        try {
            return type.getDeclaredConstructor(types).newInstance(values);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot build " + type.getName(), e);
        }
    }

    private static boolean isBlank(byte[] body) {
        for (byte b : body) {
            if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
                return false;
            }
        }
        return true;
    }
}
