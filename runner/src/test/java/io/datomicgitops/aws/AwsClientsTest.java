package io.datomicgitops.aws;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AwsClientsTest {

    @Test
    void aFactIsReadOnceForEveryAskerEvenConcurrentOnesAndAFailureIsNotRemembered() throws Exception {
        try (AwsClients aws = new AwsClients(AwsSettings.fromEnvironment(Map.of("AWS_REGION", "us-east-1")), new ApiCallCounter())) {
            AtomicInteger reads = new AtomicInteger();
            CountDownLatch start = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<Future<String>> answers = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    answers.add(pool.submit(() -> {
                        start.await();
                        return aws.once("ec2:default-vpc:us-east-1", () -> {
                            reads.incrementAndGet();
                            sleep(50);
                            return "vpc-1";
                        });
                    }));
                }
                start.countDown();
                for (Future<String> a : answers) assertThat(a.get(10, TimeUnit.SECONDS)).isEqualTo("vpc-1");
            } finally {
                pool.shutdownNow();
            }
            assertThat(reads).hasValue(1);
            assertThat(aws.once("ec2:default-vpc:eu-west-1", () -> "vpc-2")).as("another key, another read").isEqualTo("vpc-2");

            assertThatThrownBy(() -> aws.once("s3:bucket-region:gone", () -> {
                throw new IllegalStateException("no such bucket");
            })).hasMessage("no such bucket");
            assertThat(aws.once("s3:bucket-region:gone", () -> "eu-west-1")).as("read again after a failure").isEqualTo("eu-west-1");
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
