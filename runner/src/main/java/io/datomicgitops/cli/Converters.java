package io.datomicgitops.cli;

import io.datomicgitops.ToolException;
import io.datomicgitops.config.ValueType;
import io.datomicgitops.instances.Strategy;
import picocli.CommandLine;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.time.Duration;

/** Typed options: picocli turns the text into the value and a bad one into a usage error naming the option. */
final class Converters {
    private Converters() {}

    static void register(CommandLine cl) {
        cl.registerConverter(Duration.class, new DurationConverter());
        cl.registerConverter(Strategy.class, new StrategyConverter());
    }

    /** 90s, 30m, 2h, as in deploy.properties. */
    static final class DurationConverter implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            try {
                Duration d = ValueType.parseDuration(value);
                if (d.isNegative()) throw new NumberFormatException();
                return d;
            } catch (RuntimeException e) {
                throw new TypeConversionException("'" + value + "' is not a duration (write it like 90s, 30m or 2h)");
            }
        }
    }

    /** surge, terminate or instance-refresh. */
    static final class StrategyConverter implements ITypeConverter<Strategy> {
        @Override
        public Strategy convert(String value) {
            try {
                return Strategy.parse(value);
            } catch (ToolException e) {
                throw new TypeConversionException(e.what() + " (" + e.todo() + ")");
            }
        }
    }
}
