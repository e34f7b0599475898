/**
 * Kafka security for AlignLoop: {@link dev.alignloop.broker.security.ServiceAcls}, the single
 * definition of each service's user and ACLs (mirrored by the Strimzi {@code KafkaUser}s in
 * {@code deploy/}, checked by a test there), and what the secured embedded broker needs to enforce
 * it: random SCRAM passwords kept in the data dir ({@link
 * dev.alignloop.broker.security.BrokerCredentials}) and the admin calls that create users and
 * ACLs ({@link dev.alignloop.broker.security.BrokerSecurity}).
 */
package dev.alignloop.broker.security;
