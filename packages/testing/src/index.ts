export {
  startRabbitMqBroker,
  RabbitMqBrokerError,
  type RabbitMqBroker,
  type RabbitMqBrokerOptions,
  type RabbitMqBrokerTls,
} from './rabbitmq-broker.js';
export { startS3Server, type S3Server, type S3ServerOptions } from './s3-server.js';
