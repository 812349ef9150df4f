import { AsyncLocalStorage } from 'node:async_hooks';
import { RequestContext, type EntityManager } from '@mikro-orm/core';

/** The root EntityManager of one unit of work, forked the first time the work touches the ORM. */
class LazyFork {
  private fork?: EntityManager;
  private forking = false;

  constructor(private readonly root: EntityManager) {}

  get(name: string): EntityManager | undefined {
    if (this.fork || name !== this.root.name) return this.fork;
    if (this.forking) return undefined; // the fork's own construction asks for the context: the root answers
    this.forking = true;
    try {
      this.fork = this.root.fork({ useContext: true, disableContextResolution: true });
    } finally {
      this.forking = false;
    }
    return this.fork;
  }
}

const lazyForks = new AsyncLocalStorage<LazyFork>();

/**
 * Runs `work` in its own unit of work like `RequestContext.create`, but forks the EntityManager only
 * when the work first uses it: a socket event served by Redis alone (a cart change) pays no fork.
 */
export function withLazyUnitOfWork<T>(root: EntityManager, work: () => T): T {
  return lazyForks.run(new LazyFork(root), work);
}

/**
 * MikroORM's `context` option: the request context's fork (HTTP, or a `RequestContext.create` run
 * inside the work, e.g. by a queue it kicked: it keeps its own fork), else the lazy unit of work's.
 */
export function currentEntityManager(name: string): EntityManager | undefined {
  return RequestContext.getEntityManager(name) ?? lazyForks.getStore()?.get(name);
}
