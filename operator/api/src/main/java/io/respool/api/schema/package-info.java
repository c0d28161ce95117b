/**
 * Schema-only mirrors of the Kubernetes types that respool resources embed ({@code Condition},
 * {@code LabelSelector}, {@code EnvVar}, {@code ContainerPort}). The Java model keeps using the
 * fabric8 classes; these exist only so the generated CRDs carry a description on every field
 * (fabric8's model classes carry none), through {@code @SchemaFrom} on the embedding field. Each
 * mirror has the same JSON field names and types as the original.
 */
package io.respool.api.schema;
